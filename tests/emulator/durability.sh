# durability.sh - part of tests/emulator/run.sh (sourced): SIGKILL the
# emulator in the middle of a stream of mutating calls, three times over
# the same database.  After each restart every call that was answered with
# success is there, whole (a user with its three tags, a policy with its
# version and tags); nothing is half-applied (no tags or versions without
# their entity, no entity without them); PRAGMA integrity_check is ok.
echo "== durability (SIGKILL)"
db=$tmp/durable.db
: >"$tmp/acks"
for round in 1 2 3; do
    start_emulator "$db" --access-log off
    node "$HERE/stream.mjs" "$URL" "$ADMIN_KEY" "$ADMIN_SECRET" "k$round" "$tmp/acks" 100000 2>"$tmp/stream.err" &
    client=$!
    # let some calls through, then kill the server without warning
    i=0
    while [ $i -lt 100 ] && [ "$(grep -c "^user k$round-" "$tmp/acks")" -lt $((20 * round)) ]; do sleep 0.05; i=$((i + 1)); done
    kill -9 "$pid"
    wait "$pid" 2>/dev/null
    pid=""
    i=0
    while [ $i -lt 100 ] && kill -0 "$client" 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
    kill "$client" 2>/dev/null
    wait "$client" 2>/dev/null
    check "round $round: the stream was cut by the kill" 1 "$(grep -c 'stopped after round' "$tmp/stream.err")"
    check "round $round: integrity_check after SIGKILL" ok "$(sqlite3 "$db" "PRAGMA integrity_check")"
    start_emulator "$db" --access-log off
    admin iam get-account-authorization-details --filter User LocalManagedPolicy >"$tmp/state.json"
    stop_emulator
    jq -r '(.UserDetailList[] | "user \(.UserName)"), (.Policies[] | "policy \(.PolicyName)")' "$tmp/state.json" | sort >"$tmp/present"
    sort "$tmp/acks" >"$tmp/acked"
    check "round $round: every acknowledged call is present" "" "$(comm -23 "$tmp/acked" "$tmp/present" | head -3)"
    extra=$(comm -13 "$tmp/acked" "$tmp/present" | wc -l)
    # one call per round may have been committed while its answer was lost
    check "round $round: at most the calls in flight are there unacknowledged" 1 "$([ "$extra" -le "$round" ] && echo 1 || echo "$extra extra")"
    check "round $round: every user whole (3 tags)" "" "$(jq -r '.UserDetailList[] | select((.Tags | length) != 3) | .UserName' "$tmp/state.json")"
    check "round $round: every policy whole (1 version)" "" "$(jq -r '.Policies[] | select((.PolicyVersionList | length) != 1) | .PolicyName' "$tmp/state.json")"
    check "round $round: no orphans" "0 0 0" "$(sqlite3 "$db" "SELECT (SELECT COUNT(*) FROM tags t WHERE t.kind = 'user' AND NOT EXISTS (SELECT 1 FROM entities e WHERE e.kind = 'user' AND e.name = t.owner)),
        (SELECT COUNT(*) FROM tags t WHERE t.kind = 'policy' AND NOT EXISTS (SELECT 1 FROM policies p WHERE p.arn = t.owner)),
        (SELECT COUNT(*) FROM policy_versions v WHERE NOT EXISTS (SELECT 1 FROM policies p WHERE p.arn = v.arn))" | tr '|' ' ')"
    check "round $round: policy tags whole" 0 "$(sqlite3 "$db" "SELECT COUNT(*) FROM policies p WHERE p.aws = 0 AND (SELECT COUNT(*) FROM tags t WHERE t.kind = 'policy' AND t.owner = p.arn) != 3")"
done
check "the three rounds acknowledged calls" 1 "$([ "$(wc -l <"$tmp/acks")" -ge 60 ] && echo 1 || wc -l <"$tmp/acks")"
