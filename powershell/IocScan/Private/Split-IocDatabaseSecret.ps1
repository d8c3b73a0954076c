function Split-IocDatabaseSecret {
    <#
    .SYNOPSIS
    Separates the password from a database URL: the URL to pass on, and the password apart.
    .DESCRIPTION
    A password belongs in neither a task definition, a command line nor an output object: the
    engine takes it from PGPASSWORD in its environment. Both places a postgres:// URL can carry
    one are emptied: the user information (postgres://user:password@host) and the password=
    query parameter; each is percent-decoded. A path, or a URL without a password, comes back as
    it is with Password $null.
    .EXAMPLE
    Split-IocDatabaseSecret 'postgres://scanner:s%40cret@db/iocscan'
    # Location postgres://scanner@db/iocscan, Password s@cret
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory, Position = 0)] [AllowEmptyString()] [string] $DatabasePath)
    $location = $DatabasePath
    $password = $null
    if ($location -match '\A[A-Za-z][A-Za-z0-9+.-]*://') {
        $userInfo = [regex]::Match($location, '\A(?<scheme>[A-Za-z][A-Za-z0-9+.-]*://)(?<user>[^:@/?#]*):(?<password>[^@/?#]*)@')
        if ($userInfo.Success) {
            $password = [Uri]::UnescapeDataString($userInfo.Groups['password'].Value)
            $location = $userInfo.Groups['scheme'].Value + $userInfo.Groups['user'].Value + '@' + $location.Substring($userInfo.Length)
        }
        $query = [regex]::Match($location, '\A(?<base>[^?#]*)\?(?<query>[^#]*)(?<fragment>#.*)?\z')
        if ($query.Success) {
            $kept = New-Object System.Collections.Generic.List[string]
            foreach ($pair in $query.Groups['query'].Value.Split('&')) {
                if ($pair -match '\Apassword=(?<value>.*)\z') { $password = [Uri]::UnescapeDataString($Matches['value']) }
                elseif ($pair) { $kept.Add($pair) }
            }
            $location = $query.Groups['base'].Value
            if ($kept.Count -gt 0) { $location += '?' + ($kept -join '&') }
            $location += $query.Groups['fragment'].Value
        }
    }
    [pscustomobject]@{ Location = $location; Password = $password }
}
