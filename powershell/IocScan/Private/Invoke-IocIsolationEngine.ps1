function Invoke-IocIsolationEngine {
    <#
    .SYNOPSIS
    Runs an isolation command of the engine with --json and returns its one object as IocScan.Isolation.
    .DESCRIPTION
    The isolation commands print one JSON object (id, state, expiresAt, allow, audit), not an event
    stream: stdout is read whole and parsed once. The database comes in -DatabasePath as the user
    gave it: a password in a postgres:// URL goes to the engine in PGPASSWORD only, never on its
    command line or into the object written out. Exit code 0 gives the object; any other exit
    throws IocScan.IsolationFailed with the engine's stderr (an isolation that could not be
    applied, self-tested or released); stdout that is not one JSON object throws
    IocScan.EngineOutputInvalid. The engine runs with the live permission set: isolation changes
    the host's firewall.
    #>
    [CmdletBinding()]
    [OutputType('IocScan.Isolation')]
    param(
        [Parameter(Mandatory)] [string[]] $Argument,
        [Parameter(Mandatory)] [System.Management.Automation.PSCmdlet] $Cmdlet,
        [AllowEmptyString()] [AllowNull()] [string] $DatabasePath,
        [switch] $WhatIf
    )
    $environment = @{}
    $database = ''
    if ($DatabasePath) {
        $split = Split-IocDatabaseSecret $DatabasePath
        if ($null -ne $split.Password) { $environment.PGPASSWORD = $split.Password }
        $database = Resolve-IocDatabasePath $split.Location
    }
    $all = @($Argument)
    if ($database) { $all += @('--db', $database) }
    $all += '--json'

    $lines = New-Object System.Collections.Generic.List[string]
    $exit = $null
    Invoke-IocEngine -Argument $all -Environment $environment | ForEach-Object {
        if ($_ -is [string]) { $lines.Add($_) } else { $exit = $_ }
    }
    $stderr = ''
    if ($null -ne $exit) { $stderr = [string]$exit.StandardError }
    foreach ($stderrLine in ($stderr -split "`r?`n")) {
        if ($stderrLine.Trim()) { Write-Verbose "engine: $(ConvertTo-IocDisplayText $stderrLine)" }
    }
    $command = ($Argument | Select-Object -First 2) -join ' '
    if ($null -eq $exit -or $exit.ExitCode -ne 0) {
        $code = if ($null -eq $exit) { '?' } else { $exit.ExitCode }
        $detail = (@($stderr.Trim() -split "`r?`n") | ForEach-Object { ConvertTo-IocDisplayText $_ }) -join [Environment]::NewLine
        if (-not $detail) { $detail = '(the engine wrote nothing to stderr)' }
        $Cmdlet.ThrowTerminatingError((New-IocErrorRecord -ErrorId IsolationFailed -Category InvalidOperation -TargetObject $command `
                    -Message "iocscan $command failed (exit code $code): $detail"))
    }
    $text = ($lines -join "`n").Trim()
    try {
        $parsed = $text | ConvertFrom-Json -ErrorAction Stop
    } catch {
        $parsed = $null
    }
    if ($null -eq $parsed -or $parsed -is [array] -or $parsed -isnot [System.Management.Automation.PSCustomObject]) {
        $Cmdlet.ThrowTerminatingError((New-IocErrorRecord -ErrorId EngineOutputInvalid -Category InvalidData -TargetObject $command `
                    -Message "iocscan $command printed no single JSON object: $(ConvertTo-IocDisplayText $text)"))
    }
    ConvertTo-IocIsolation -InputObject $parsed -DatabasePath $database -WhatIf:$WhatIf
}
