function ConvertTo-IocIsolation {
    <#
    .SYNOPSIS
    Turns the engine's isolation object (`iocscan isolate|isolation … --json`) into an IocScan.Isolation object.
    .DESCRIPTION
    Id, State, ExpiresAt (local time), Allow (the allow-list entries as the engine resolved them:
    address, port, protocol, why) and Audit (the isolation's audit records) come from the engine's
    object; DatabasePath is the store it was read from (never with a password); WhatIf says
    whether nothing was applied (Start-IocIsolation -WhatIf).
    #>
    [CmdletBinding()]
    [OutputType('IocScan.Isolation')]
    param(
        [Parameter(Mandatory)] $InputObject,
        [AllowEmptyString()] [string] $DatabasePath = '',
        [switch] $WhatIf
    )
    [pscustomobject]@{
        PSTypeName   = 'IocScan.Isolation'
        Id           = Get-IocProperty $InputObject 'id'
        State        = Get-IocProperty $InputObject 'state'
        ExpiresAt    = ConvertTo-IocDateTime (Get-IocProperty $InputObject 'expiresAt')
        Allow        = @(Get-IocProperty $InputObject 'allow' @())
        Audit        = @(Get-IocProperty $InputObject 'audit' @())
        WhatIf       = [bool]$WhatIf
        DatabasePath = $(if ($DatabasePath) { $DatabasePath } else { $null })
    }
}
