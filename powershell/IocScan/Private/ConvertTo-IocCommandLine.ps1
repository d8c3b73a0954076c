function ConvertTo-IocCommandLine {
    <#
    .SYNOPSIS
    Joins arguments into one Windows command line that splits back into the same arguments.
    .DESCRIPTION
    Follows the rules of CommandLineToArgvW and the C runtime: an argument with a space, a tab or a
    double quote (or an empty one) is wrapped in double quotes; a double quote becomes \"; a run of
    backslashes is doubled only when a double quote follows it. Used for the Task Scheduler action's
    -Argument string and for ProcessStartInfo.Arguments on .NET Framework (Windows PowerShell 5.1),
    which has no ArgumentList.
    .EXAMPLE
    ConvertTo-IocCommandLine -Argument 'scan', '--task', 'C:\Program Data\t.json'
    # scan --task "C:\Program Data\t.json"
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param([Parameter(Mandatory)] [AllowEmptyString()] [AllowEmptyCollection()] [string[]] $Argument)

    $parts = foreach ($item in $Argument) {
        if ($item.Length -gt 0 -and $item -notmatch '[\s"]') {
            $item
            continue
        }
        $builder = New-Object System.Text.StringBuilder
        [void]$builder.Append('"')
        $backslashes = 0
        foreach ($character in $item.ToCharArray()) {
            if ($character -eq '\') {
                $backslashes++
                continue
            }
            if ($character -eq '"') {
                [void]$builder.Append([char]'\', 2 * $backslashes + 1)
            } elseif ($backslashes -gt 0) {
                [void]$builder.Append([char]'\', $backslashes)
            }
            $backslashes = 0
            [void]$builder.Append($character)
        }
        [void]$builder.Append([char]'\', 2 * $backslashes)
        [void]$builder.Append('"')
        $builder.ToString()
    }
    return ($parts -join ' ')
}
