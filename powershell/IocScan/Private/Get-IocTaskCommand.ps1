function Get-IocTaskCommand {
    <#
    .SYNOPSIS
    Returns the program and arguments a scheduled task runs: the engine scanning with a saved definition.
    .DESCRIPTION
    The engine is resolved now, at registration: the compiled bin/iocscan(.exe), or deno with the
    bundle and the engine permission set. Moving the module afterwards needs a new registration
    (Register-IocScanTask -Force).
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string] $DefinitionPath)
    $engine = Resolve-IocEngine
    [pscustomobject]@{
        FileName  = $engine.FileName
        Arguments = @($engine.Arguments) + @('scan', '--task', $DefinitionPath, '--json')
    }
}
