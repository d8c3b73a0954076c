function ConvertTo-IocDetection {
    <#
    .SYNOPSIS
    Turns an engine `detection` event into an IocScan.Detection object.
    .DESCRIPTION
    The object carries RunId, IocId, IocSha256, IocName, IocFile, IocVersion, Timestamp (when the
    detection was observed), Host, Severity (the IOC's, docs/reports.md), Objects
    (the identities of the objects that matched) and Evidence: IocScan.Evidence objects (Document,
    Object, Source, Time, Computer, Indicator, Items), whose Items are IocScan.EvidenceItem objects
    (Id, Search, Condition, Negate, PreserveCase, Expected, Observed, Element: the port of a process
    an item held on, docs/matching.md 4a). Source (the file the object
    was read from), Time and Computer (of an event) are $null when the engine does not know them.
    IocId and IocSha256 (the SHA-256 of the IOC file's bytes) together identify the IOC: two IOC
    files may share an id. Evidence, each evidence object and Objects have a ToString() that spells
    out what they hold, so that `Export-Csv` writes readable columns (not System.Object[]).
    .PARAMETER Timestamp
    When the detection was made; used when the event carries no time of its own.
    #>
    [CmdletBinding()]
    [OutputType('IocScan.Detection')]
    param(
        [Parameter(Mandatory, ValueFromPipeline)] $InputObject,
        [datetime] $Timestamp = (Get-Date),
        $RunId = $null
    )
    process {
        $ioc = Get-IocProperty $InputObject 'ioc'
        $evidence = @(foreach ($entry in @(Get-IocProperty $InputObject 'evidence' @())) {
                $items = @(foreach ($item in @(Get-IocProperty $entry 'items' @())) {
                        [pscustomobject]@{
                            PSTypeName   = 'IocScan.EvidenceItem'
                            Id           = Get-IocProperty $item 'id'
                            Search       = Get-IocProperty $item 'search'
                            Condition    = Get-IocProperty $item 'condition'
                            Negate       = [bool](Get-IocProperty $item 'negate' $false)
                            PreserveCase = [bool](Get-IocProperty $item 'preserveCase' $false)
                            Expected     = Get-IocProperty $item 'expected'
                            Observed     = Get-IocProperty $item 'observed'
                            Element      = Get-IocProperty $item 'element'
                        }
                    })
                $evidenceObject = [pscustomobject]@{
                    PSTypeName = 'IocScan.Evidence'
                    Document   = Get-IocProperty $entry 'document'
                    Object     = Get-IocProperty $entry 'object'
                    Source     = Get-IocProperty $entry 'source'
                    Time       = ConvertTo-IocDateTime (Get-IocProperty $entry 'time')
                    Computer   = Get-IocProperty $entry 'computer'
                    Indicator  = Get-IocProperty $entry 'indicator'
                    Items      = $items
                }
                # One line for Export-Csv and string contexts: the object and each item's test.
                Add-Member -InputObject $evidenceObject -MemberType ScriptMethod -Name ToString -Force -Value {
                    $tests = @($this.Items | ForEach-Object {
                            $condition = if ($_.Negate) { "not $($_.Condition)" } else { $_.Condition }
                            "$($_.Search) $condition '$($_.Expected)' observed '$(@($_.Observed) -join ', ')'"
                        }) -join '; '
                    "$($this.Document) $($this.Object): $tests"
                }
                $evidenceObject
            })
        # Export-Csv writes a property's ToString(): the arrays say what they hold, not System.Object[].
        $evidence = Add-Member -InputObject $evidence -MemberType ScriptMethod -Name ToString -Force -PassThru -Value {
            @($this | ForEach-Object { $_.ToString() }) -join ' | '
        }
        $objects = @($evidence | ForEach-Object { $_.Object } | Select-Object -Unique)
        $objects = Add-Member -InputObject $objects -MemberType ScriptMethod -Name ToString -Force -PassThru -Value {
            @($this) -join ' | '
        }
        $time = ConvertTo-IocDateTime (Get-IocProperty $InputObject 'time')
        if ($null -eq $time) { $time = $Timestamp }
        $run = Get-IocProperty $InputObject 'runId' $RunId
        if ($null -ne $run) { $run = [long]$run }
        [pscustomobject]@{
            PSTypeName = 'IocScan.Detection'
            RunId      = $run
            IocId      = Get-IocProperty $ioc 'id'
            IocSha256  = Get-IocProperty $ioc 'sha256'
            IocName    = Get-IocProperty $ioc 'name'
            IocFile    = Get-IocProperty $ioc 'file'
            IocVersion = Get-IocProperty $ioc 'version'
            Timestamp  = $time
            Host       = Get-IocProperty $InputObject 'host'
            Severity   = Get-IocProperty $InputObject 'severity'
            Objects    = $objects
            Evidence   = $evidence
        }
    }
}
