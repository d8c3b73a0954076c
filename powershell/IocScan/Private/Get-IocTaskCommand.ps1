function Get-IocTaskCommand {
    <#
    .SYNOPSIS
    Returns the program and arguments a scheduled task runs: the engine scanning with a saved definition.
    .DESCRIPTION
    The engine is resolved now, at registration: the compiled bin/iocscan(.exe), or deno with the
    bundle and the permission flags of -Permission (all by default; Get-IocScanPermission narrows
    a scan of offline evidence). Moving the module afterwards needs a new registration
    (Register-IocScanTask -Force).
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $DefinitionPath,
        [string[]] $Permission = (Get-IocEnginePermission -Set Live)
    )
    $engine = Resolve-IocEngine -Permission $Permission
    [pscustomobject]@{
        FileName  = $engine.FileName
        Arguments = @($engine.Arguments) + @('scan', '--task', $DefinitionPath, '--json')
    }
}
