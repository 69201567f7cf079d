#!/bin/sh
# cases.sh - the data-driven cases: every directory under cases/ holds an
# account (account.json) and an `expect` file of runs against it:
#   run ARGS...      iamguard ARGS... --account DIR/account.json
#   exit N           the run's exit status
#   has TEXT         its output contains TEXT
#   lacks TEXT       it does not
# Lines starting with # are comments.  Sourced by run.sh (its ok/bad).

case_run() {
    dir=$1 name=${1#"$here"/}
    while IFS= read -r line || [ -n "$line" ]; do
        case $line in
        '#'*|'') ;;
        'run '*)
            # shellcheck disable=SC2086
            set -- ${line#run }
            "$bin" "$@" --account "$dir/account.json" >"$tmp/out" 2>"$tmp/err"
            code=$? label="$name: ${line#run }" ;;
        'exit '*)
            if [ "$code" -eq "${line#exit }" ]; then ok
            else bad "$label: exit $code, expected ${line#exit }"; head -3 "$tmp/err"; fi ;;
        'has '*) has "$label" "${line#has }" ;;
        'lacks '*) lacks "$label" "${line#lacks }" ;;
        *) bad "$name: expect line not understood: $line" ;;
        esac
    done <"$dir/expect"
}

for d in "$here"/cases/*/; do
    if [ -f "$d/expect" ]; then case_run "${d%/}"; fi
done

# The technique table: every row has an exploitable account (path/) and a
# near-miss (near-miss/) under techniques/<id>/, and every directory there
# is a row.
"$bin" escalate --list-techniques >"$tmp/rows" 2>&1 || bad "escalate --list-techniques failed"
while read -r id _; do
    for k in path near-miss; do
        if [ -f "$here/techniques/$id/$k/expect" ]; then case_run "$here/techniques/$id/$k"
        else bad "technique $id: no $k case (tests/analysis/techniques/$id/$k)"; fi
    done
done <"$tmp/rows"
for d in "$here"/techniques/*/; do
    id=$(basename "$d")
    if grep -q "^$id " "$tmp/rows"; then ok; else bad "techniques/$id: not a row of the table"; fi
done
