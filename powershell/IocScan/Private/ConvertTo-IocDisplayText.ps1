# The characters a terminal must not receive raw in a name: C0 controls (newline and tab
# included), DEL, C1 controls, the Arabic letter mark, the left-to-right and right-to-left
# marks, the line and paragraph separators, the bidi embeddings and overrides and the bidi
# isolates. The same set as the engine's report/terminal_text.ts (TERMINAL_UNSAFE).
$script:IocTerminalUnsafe = New-Object System.Text.RegularExpressions.Regex -ArgumentList `
    '[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]'

function ConvertTo-IocDisplayText {
    <#
    .SYNOPSIS
    Spells the terminal-unsafe characters of a name visibly, as the engine's human output does.
    .DESCRIPTION
    File, key, IOC, task and event names come from whoever wrote them: an escape sequence among
    them recolours the host or moves its cursor, a newline forges a line, a bidi override shows
    exe.txt as txt.exe. Every warning, error message, verbose line, progress text and table
    column the module makes from such a name goes through this function: ASCII controls become
    \xHH, the others \u{HHHH}; everything else, backslashes included, stays. The objects the
    module writes keep the exact values.
    .PARAMETER Text
    The text to show; $null gives ''.
    .EXAMPLE
    ConvertTo-IocDisplayText "a`e[31mb"   # a\x1b[31mb
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param([Parameter(Position = 0)] [AllowNull()] [AllowEmptyString()] [string] $Text)
    if ([string]::IsNullOrEmpty($Text)) { return '' }
    $script:IocTerminalUnsafe.Replace($Text, [System.Text.RegularExpressions.MatchEvaluator] {
            param($match)
            $code = [int][char]$match.Value
            if ($code -lt 0x80) { return '\x{0:x2}' -f $code }
            return '\u{{{0:x4}}}' -f $code
        })
}
