#!/usr/bin/env bash
# `swift format lint` over Sources/ and Tests/ with the repository's .swift-format; exits 1 on
# any finding of a lint rule (naming, documentation comments, force-unwrap policy, …).
#
# The pretty printer's layout findings (LineLength, Indentation, AddLines, RemoveLine, Spacing,
# TrailingComma, TrailingWhitespace, EndOfLineComment) are counted, not failed on: swift-format
# cannot switch them off one by one (swiftlang/swift-format#964), and the code keeps its own
# layout (arguments aligned under the opening parenthesis, short one-line bodies) that
# `swift format format` would rewrite in most files. .swift-format's lineLength (120) is the
# length the code keeps: 94% of lines in Sources/ and Tests/ fit it (measured at issue 15).
#
# Rules disabled in .swift-format because the code does not follow them (JSON has no comments):
#   DoNotUseSemicolons            short statements share a line (`a += 1; b += 1`), ~470 places
#   OrderedImports                imports are sorted by module name with @testable ones in place
#   OneVariableDeclarationPerLine `var sum = 0.0, count = 0` for running totals
#   OneCasePerLine                `case a, b, c` enums
#   OnlyOneTrailingClosureArgument tests pass a handler argument and a trailing body
#   NoParensAroundConditions      parenthesised conditions in the number extractor
#   NoAccessLevelOnExtensionDeclaration  `public extension` in one place
set -euo pipefail
cd "$(dirname "$0")/.."
layout='\[(LineLength|Indentation|AddLines|RemoveLine|Spacing|SpacingCharacter|TrailingComma|TrailingWhitespace|EndOfLineComment)\]'
output=$(swift format lint --recursive --parallel Sources Tests 2>&1 || true)
findings=$(grep -E 'warning:|error:' <<<"$output" | grep -v -E "$layout" || true)
layout_count=$(grep -c -E "$layout" <<<"$output" || true)
if [[ -n "$findings" ]]; then
  echo "$findings"
  echo "format-lint: $(wc -l <<<"$findings") finding(s) (fix them, or see scripts/format-lint.sh for the rules)"
  exit 1
fi
echo "format-lint: no rule findings (${layout_count} layout findings not enforced)"
