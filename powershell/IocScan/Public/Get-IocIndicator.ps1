function Get-IocIndicator {
    <#
    .SYNOPSIS
    Lists the indicators (IOCs) in OpenIOC files, including what the engine cannot evaluate.

    .DESCRIPTION
    Get-IocIndicator loads OpenIOC 1.0/1.1 files through the engine (`iocscan indicators PATH...
    --json`) and returns one IocScan.Indicator object per IOC file: its Id, Sha256 (of the file's
    bytes; with Id, the IOC's identity, since files may share an id), Name, Version and File, how
    many IndicatorItems it has and how many of them a scan evaluates (Evaluable: a collector exists,
    it fills the term, and the content reads), the others by reason (NotEvaluated: no-collector,
    not-produced, unsupported-term, empty-content, invalid-value; one reason per item, as a scan
    reports them), whether the IOC can fire at all (CanFire), the search terms it does not support,
    and whether it is a byte-identical copy of a file listed before it (Duplicate; a scan evaluates
    such copies once). Files that cannot be loaded at all become non-terminating
    IocScan.IocFileRejected errors; loader warnings become Write-Warning.

    Use it before a scan to see which IOCs will be fully evaluated, which only in part, and which
    cannot fire at all (a scan that uses them and detects nothing is incomplete: exit code 3).

    .PARAMETER Path
    IOC files or folders of IOC files. Accepts pipeline input, including FileInfo objects from
    Get-ChildItem.

    .EXAMPLE
    Get-IocIndicator -Path C:\IOCs

    Lists every IOC in the folder with its item counts.

    .EXAMPLE
    Get-ChildItem C:\IOCs -Filter *.ioc | Get-IocIndicator | Where-Object { -not $_.FullyEvaluable } |
        Select-Object Name, NotEvaluated, Unsupported

    Shows the IOCs that a scan could evaluate only in part, why, and which terms are missing.

    .EXAMPLE
    Get-IocIndicator -Path C:\IOCs | Where-Object { -not $_.CanFire }

    Lists the IOCs that no scan of this build can make fire (ServiceItem-only IOCs, say).

    .INPUTS
    System.String, System.IO.FileInfo
    .OUTPUTS
    IocScan.Indicator
    #>
    [CmdletBinding()]
    [OutputType('IocScan.Indicator')]
    param(
        [Parameter(Mandatory, Position = 0, ValueFromPipeline, ValueFromPipelineByPropertyName)]
        [Alias('FullName', 'PSPath')]
        [ValidateNotNullOrEmpty()]
        [string[]] $Path
    )

    begin {
        $paths = New-Object System.Collections.Generic.List[string]
    }
    process {
        foreach ($item in $Path) {
            $full = Resolve-IocFullPath $item
            if (-not (Test-Path -LiteralPath $full)) {
                $PSCmdlet.WriteError((New-IocErrorRecord -ErrorId PathNotFound -Category ObjectNotFound -TargetObject $item `
                            -Message "The IOC path '$item' does not exist."))
                continue
            }
            $paths.Add($full)
        }
    }
    end {
        if ($paths.Count -eq 0) { return }
        try {
            Invoke-IocEngineEvent -Cmdlet $PSCmdlet -Activity 'Loading IOCs' -Argument (@('indicators') + $paths.ToArray() + @('--json')) `
                -Permission (Get-IocEnginePermission -Set Offline) |
                Where-Object { (Get-IocProperty $_ 'type') -eq 'ioc' } |
                ForEach-Object { ConvertTo-IocIndicator -InputObject $_ }
        } catch [System.Management.Automation.PipelineStoppedException] {
            throw
        } catch {
            $PSCmdlet.ThrowTerminatingError($_)
        }
    }
}
