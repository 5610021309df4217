#!/bin/sh
# Prints the ground-truth table of tests/test_ground_truth.c from a fresh run of its TESTs (with
# GI_GROUND_TRUTH=print each prints a line per case and estimator; build the plain runner first:
# make build/test_runner; about 20 s). Usage, from the project's root:
#   sh tools/ground_truth_table.sh md [RUNNER]      the markdown table of docs/ground_truth.md
#   sh tools/ground_truth_table.sh golden [RUNNER]  the rows of gt_golden, to paste into the test
# Lines: gt|layer|N|quantity id|quantity|estimator|samples|reference|its SE|mean|bias|SE|valid|
#        ceiling|0 <= mean <= ceiling
mode=${1:-md}
runner=${2:-build/test_runner}
case $mode in md|golden) ;; *) echo "usage: sh tools/ground_truth_table.sh md|golden [RUNNER]" >&2; exit 2 ;; esac
[ -x "$runner" ] || { echo "ground_truth_table: $runner not found (make build/test_runner)" >&2; exit 1; }
# (the runner's stderr, which compares with the table being replaced, is not wanted here)
out=$(GI_GROUND_TRUTH=print "$runner" gt_ 2>/dev/null | grep '^gt|')
[ -n "$out" ] || { echo "ground_truth_table: the runner printed no gt| lines" >&2; exit 1; }
printf '%s\n' "$out" | awk -F'|' -v mode="$mode" '
function key() { return $2 "|" $3 "|" $5 }
{
    k = key()
    if (!(k in seen)) { seen[k] = 1; order[++rows] = k; name[k] = $2; n[k] = $3; qid[k] = $4; q[k] = $5
                        ref[k] = $8; refse[k] = $9; samples[k] = $7; cols[k] = 0 }
    c = ++cols[k]
    if (!(c in est)) { est[c] = $6; nest = c }
    cell[k, c] = sprintf("%+.3f ± %.3f %s", $11, 2 * $12, $13 ? "✓" : "✗")
    gold[k, c] = sprintf("{%.4f, %.4f, %d}", $11, $12, $13)
    allowed = 0.1 * ($8 < 0 ? -$8 : $8); if (allowed < 0.1) allowed = 0.1
    margin = allowed - ($11 < 0 ? -$11 : $11) - 2 * $12
    if (margin < 0.01 && margin > -0.01) edge[++nedge] = sprintf("%s, N = %s, %s, %s: |bias| + 2·SE = %.4f against %.4f", \
                                                           $2, $3, $5, $6, allowed - margin, allowed)
    if (!$13 && $15) inrange[++nin] = sprintf("%s, N = %s, %s, %s: mean %.3f against %.3f%s", $2, $3, $5, $6, $10, $8, \
                                              $14 == "inf" ? "" : sprintf(" (ceiling %.3f)", $14))
}
END {
    if (mode == "golden") {
        for (r = 1; r <= rows; r++) {
            k = order[r]
            line = sprintf("    {\"%s\", %s, %s, {", name[k], n[k], qid[k])
            for (c = 1; c <= nest; c++) line = line (c > 1 ? ", " : "") gold[k, c]
            print line "}},"
        }
        exit
    }
    head = "| case | N | samples | reference |"; rule = "|---|--:|--:|--:|"
    for (c = 1; c <= nest; c++) { head = head " " est[c] " |"; rule = rule ":--|" }
    print head; print rule
    for (r = 1; r <= rows; r++) {
        k = order[r]
        refs = refse[k] > 0 ? sprintf("%.3f ± %.3f", ref[k], 2 * refse[k]) : sprintf("%.3f", ref[k])
        line = sprintf("| %s: %s | %s | %s | %s |", name[k], q[k], n[k], samples[k], refs)
        for (c = 1; c <= nest; c++) line = line " " cell[k, c] " |"
        print line
    }
    print ""
    print "### Not valid, but inside [0, ceiling]"
    print ""
    print "No range flag can catch these (ceiling: H(Y) = ln 10 for I(L;Y), ψ(N) − ψ(k) for ksg, none otherwise):"
    print ""
    for (i = 1; i <= nin; i++) print "- " inrange[i]
    print ""
    print "### On the edge of validity"
    print ""
    print "Within 0.01 nats of max(0.1, 10% of the reference), so a small change in the estimator may flip them:"
    print ""
    for (i = 1; i <= nedge; i++) print "- " edge[i]
}'
