#!/bin/sh
# Build the two-wave example study in the folder given (default: ./ami-design-waves-study).
# Run from anywhere: `sh examples/ami-design-waves/build.sh /tmp/waves`. Uses `thema` on PATH,
# or the binary named by $THEMA. The codings are illustrative (see README.md).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-ami-design-waves-study}
thema=${THEMA:-thema}
export THEMA_CODER=ex SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1767225600}
t() { "$thema" --study "$out" "$@"; }

"$thema" init "$out"
cp "$here/participants.csv" "$out/participants.csv"
for team in es2002 es2003; do
  for wave in 1 2; do
    doc=$team-w$wave
    t import "$here/transcripts/$doc.txt" --id "$doc" --kind meeting --wave "$wave" \
      --speakers "Project Manager,Marketing,User Interface,Industrial Designer" \
      --title "$(echo "$team" | tr a-z A-Z), meeting $( [ "$wave" = 1 ] && echo a || echo d ) (excerpt)"
    t link "$doc" "Project Manager" "$team-pm"
    t link "$doc" "Marketing" "$team-me"
    t link "$doc" "User Interface" "$team-ui"
    t link "$doc" "Industrial Designer" "$team-id"
  done
done

t codebook add "Ideas for the remote" --kind theme
t codebook add one-remote --parent "Ideas for the remote" --definition "One remote for several devices"
t codebook add new-functions --parent "Ideas for the remote" --definition "Functions beyond the television: games, notes, lighting"
t codebook add finding-the-remote --parent "Ideas for the remote" --definition "Losing the remote, finding it again"
t codebook add "Limits on the design" --kind theme
t codebook add cost --parent "Limits on the design" --definition "Price, budget, money"
t codebook add process-constraints --parent "Limits on the design" --definition "Time, structure, guidelines, equipment"
t codebook add "Room for creativity" --kind theme
t codebook add creativity --parent "Room for creativity" --definition "Whether the work left room for creative ideas"

# Wave 1 (first meetings).
t code one-remote --turn es2002-w1:T6
t code one-remote --span es2002-w1:1023..1303   # Marketing's T7 and the manager's question, T8
t code new-functions --turn es2002-w1:T9
t code new-functions --turn es2002-w1:T10
t code one-remote --turn es2002-w1:T11
t code finding-the-remote --turn es2002-w1:T13
t code finding-the-remote --turn es2002-w1:T14
t code finding-the-remote --turn es2002-w1:T15
t code cost --turn es2003-w1:T2
t code cost --turn es2003-w1:T3
t code one-remote --turn es2003-w1:T3
t code one-remote --turn es2003-w1:T4
t code one-remote --turn es2003-w1:T5
t code one-remote --turn es2003-w1:T6
t code new-functions --turn es2003-w1:T8
t code new-functions --turn es2003-w1:T10
t code process-constraints --turn es2003-w1:T11
t code new-functions --turn es2003-w1:T14

# Wave 2 (evaluation in the last meetings).
t code creativity --turn es2002-w2:T2
t code process-constraints --turn es2002-w2:T2
t code process-constraints --turn es2002-w2:T3
t code process-constraints --turn es2002-w2:T5
t code cost --turn es2002-w2:T7
t code creativity --turn es2002-w2:T7
t code process-constraints --turn es2002-w2:T8
t code process-constraints --turn es2002-w2:T10
t code creativity --turn es2002-w2:T11
t code creativity --turn es2003-w2:T6
t code cost --turn es2003-w2:T6
t code creativity --turn es2003-w2:T8
t code creativity --turn es2003-w2:T9
t code creativity --turn es2003-w2:T10
t code cost --turn es2003-w2:T10
t code cost --turn es2003-w2:T11
t code cost --turn es2003-w2:T13
t code process-constraints --turn es2003-w2:T17
t code cost --turn es2003-w2:T19
