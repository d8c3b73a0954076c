function ConvertTo-IocFinding {
    <#
    .SYNOPSIS
    Turns an engine `finding` event into an IocScan.Finding object.
    .DESCRIPTION
    A finding is a result from a source other than an IOC (docs/critical-scan.md): an antivirus's
    verdict, executable memory no file backs, a kernel module of unknown origin. The object
    carries RunId, Source, Kind (a stable code), Object, Severity (detection, incomplete, notice),
    Detail, Time and Data (the kind's facts: pid, range, size, engine, signature…, as a hashtable).
    #>
    [CmdletBinding()]
    [OutputType('IocScan.Finding')]
    param([Parameter(Mandatory, ValueFromPipeline)] $InputObject)
    process {
        $data = @{}
        $raw = Get-IocProperty $InputObject 'data'
        if ($null -ne $raw) {
            foreach ($property in $raw.PSObject.Properties) { $data[$property.Name] = $property.Value }
        }
        $run = Get-IocProperty $InputObject 'runId'
        if ($null -ne $run) { $run = [long]$run }
        [pscustomobject]@{
            PSTypeName = 'IocScan.Finding'
            RunId      = $run
            Source     = Get-IocProperty $InputObject 'source'
            Kind       = Get-IocProperty $InputObject 'kind'
            Object     = Get-IocProperty $InputObject 'object'
            Severity   = Get-IocProperty $InputObject 'severity'
            Detail     = Get-IocProperty $InputObject 'detail'
            Time       = ConvertTo-IocDateTime (Get-IocProperty $InputObject 'time')
            Data       = $data
        }
    }
}
