function Get-IocCollector {
    <#
    .SYNOPSIS
    Lists the engine's collectors: name, documents, sources and task options.
    .DESCRIPTION
    Reads the module's Data/Collectors.psd1, which is generated from the engine's list of
    collectors (scan/collector_list.ts), so that the module never spells a collector name or a
    collector's task-file key itself. Each option names the parameter that carries it (for
    example EventLog for the task-file key eventLogs) and its kind: strings, string, count, time
    or flag.
    .EXAMPLE
    (Get-IocCollector).Name
    file, eventlog, registry, dns, arp, route
    .OUTPUTS
    System.Management.Automation.PSCustomObject
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param()
    foreach ($collector in $script:IocCollectors) {
        [pscustomobject]@{
            Name      = $collector.Name
            Documents = @($collector.Documents)
            Sources   = @($collector.Sources)
            Options   = @(foreach ($option in $collector.Options) { [pscustomobject]$option })
        }
    }
}
