#!/bin/sh
# A session with `creditrules serve`, by curl: every endpoint once. Start the server first, from the
# repository's root:
#
#     creditrules serve --standards standards/          # http://127.0.0.1:8000
#     sh examples/service.sh                            # or CREDITRULES_URL=http://127.0.0.1:PORT sh examples/service.sh
#
# Each answer is what the matching command prints; errors are application/problem+json (docs/service.md).
set -eu
cd "$(dirname "$0")/.."
URL="${CREDITRULES_URL:-http://127.0.0.1:8000}"
STANDARD=yrd-computer-application

echo "== the standards served"
curl -sS "$URL/v1/status" | sed -n 1,8p

echo "== evaluate: the decision JSON, the bytes 'creditrules evaluate --format json' prints"
curl -sS -X POST "$URL/v1/standards/$STANDARD/evaluate?as_of=2025-06-30&trace=none" \
    -H 'Content-Type: application/yaml' --data-binary @examples/student-1x.yaml | sed -n 1,12p

echo "== the decision letter, in Chinese"
curl -sS -X POST "$URL/v1/standards/$STANDARD/letter?as_of=2025-06-30&lang=zh" \
    -H 'Content-Type: application/yaml' -H 'Accept: text/plain' --data-binary @examples/student-1x.yaml

echo "== explain one course"
curl -sS -X POST "$URL/v1/standards/$STANDARD/explain?as_of=2025-06-30&course=C201" \
    -H 'Content-Type: application/yaml' --data-binary @examples/student-1x.yaml

echo "== validate a changed standard against the served folder (nothing is written there)"
sed 's/level: {at_least: 中级}/level: {at_least: 中等}/' standards/yangtze-delta/computer-application.yaml |
    curl -sS -X POST "$URL/v1/validate?path=yangtze-delta/computer-application.yaml&format=text" \
        -H 'Content-Type: application/yaml' --data-binary @-

echo "== a batch of rows: decisions, rejects and the counts"
printf '%s\n' 'learner,id,code,level,obtained,verified' 'L-1,A1,X-WEB,中级,2024-06-15,true' \
    'L-2,A1,X-CLOUD,高级,2024/03/01,true' |
    curl -sS -X POST "$URL/v1/standards/$STANDARD/batch?as_of=2025-06-30&trace=none" \
        -H 'Content-Type: text/csv' --data-binary @- | sed -n 1,20p

echo "== an error: a misspelt standard"
curl -sS -X POST "$URL/v1/standards/yrd-computer-applicaton/evaluate?as_of=2025-06-30" \
    -H 'Content-Type: application/yaml' --data-binary @examples/student-1x.yaml
