function Find-IocDeno {
    <#
    .SYNOPSIS
    Returns the full path of the deno executable on PATH, or $null.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param()
    $deno = Get-Command -Name deno -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if ($deno) { return $deno.Source }
    return $null
}
