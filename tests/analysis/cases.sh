#!/bin/sh
# cases.sh - the data-driven cases: every directory under cases/ holds an
# account (account.json) and an `expect` file of runs against it:
#   run ARGS...      iamguard ARGS... --account DIR/account.json
#   exit N           the run's exit status
#   has TEXT         its output contains TEXT
#   lacks TEXT       it does not
# Lines starting with # are comments.  Sourced by run.sh (its ok/bad).

case_run() {
    dir=$1 name=$(basename "$1")
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
    [ -f "$d/expect" ] && case_run "${d%/}"
done
