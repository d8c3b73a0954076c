function Write-IocTaskFile {
    <#
    .SYNOPSIS
    Writes a task document as UTF-8 JSON without a byte order mark (what the engine reads).
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] $Document,
        [Parameter(Mandatory)] [string] $Path
    )
    $json = ConvertTo-Json -InputObject $Document -Depth 8
    $folder = Split-Path -Parent $Path
    if ($folder -and -not (Test-Path -LiteralPath $folder)) {
        [void](New-Item -ItemType Directory -Path $folder -Force -WhatIf:$false)
    }
    [System.IO.File]::WriteAllText($Path, $json, (New-Object System.Text.UTF8Encoding -ArgumentList $false))
}
