# ses-smtp-rotation, Windows step: installs one version of the SES SMTP credential into IIS 6 SMTP virtual servers.
# Parameters arrive as SSM_* environment variables (interpolationType ENV_VAR, SSM Agent 3.3.2746.0 or later).
# Requires: Windows PowerShell 5.1, the SMTP Server feature with IIS 6 WMI and Metabase compatibility,
# AWS.Tools.SecretsManager (or AWSPowerShell, or the AWS CLI). Never prints the password.
#
# Customizing (a second relay, a local check, another way to pick servers): edit the step functions, keep this list.
#  - Parameters are read from $env:SSM_*; only the four fallback lines below hold a placeholder in double braces.
#  - $Marker, $ArnPattern and $VersionPattern equal src/core/document-contract.ts (the tests compare them).
#  - Every run prints exactly one result line (Write-Result): status=updated|unchanged|failed, then key=, never the
#    password. Errors go to stderr, before it. Exit 0 on success, 1 on failure; never 3010 or 194 (reboot codes).
#  - $ErrorActionPreference 'Stop' and Set-StrictMode: any error reaches main's catch, which rolls back.
#  - Nothing changes before the new credential is fetched, checked and (unless VerifyRelayAuth=no) accepted by the
#    relay (Test-NewCredential).
#  - Every server is recorded in the rollback plan before it is changed; Undo-Swap restores exactly those.
#  - The password never reaches an output stream, a command line or a file.
#  - IIS is only touched through the seam functions (Assert-IisSmtpInstalled, Get-SmtpVirtualServers,
#    Get-SmtpVirtualServer, Save-SmtpVirtualServer, Restart-SmtpVirtualServer): the tests put a fake IIS behind them.
#  - main returns only its exit code: what it calls writes nothing to the pipeline (use [void] or | Out-Null).
# Then regenerate and lint the document: npx tsx src/documents/shipped.ts; ses-smtp-rotation lint-document <file>.
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 2.0

# Fallback for agents older than 3.3.2746.0, which only substitute text. Safe because every allowedPattern of this
# document admits no quote, backtick, dollar sign or white space.
if (-not $env:SSM_SecretArn) { $env:SSM_SecretArn = '{{ SecretArn }}' }
if (-not $env:SSM_VersionId) { $env:SSM_VersionId = '{{ VersionId }}' }
if (-not $env:SSM_IisVirtualServers) { $env:SSM_IisVirtualServers = '{{ IisVirtualServers }}' }
if (-not $env:SSM_VerifyRelayAuth) { $env:SSM_VerifyRelayAuth = '{{ VerifyRelayAuth }}' }

$Marker = 'ses-smtp-rotation-result'
$ArnPattern = '^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]+$'
$VersionPattern = '^[A-Za-z0-9-]{32,64}$'
$WmiNamespace = 'root/MicrosoftIISv2'

# ---- Seam: the only functions that touch IIS (WMI root/MicrosoftIISv2 and the IIS 6 metabase through ADSI). ----

# Fails unless this is Windows PowerShell with WMI and the IIS SMTP service.
function Assert-IisSmtpInstalled {
  if (-not (Get-Command Get-WmiObject -ErrorAction SilentlyContinue)) {
    Stop-Step 'no-iis' 'this step needs Windows PowerShell 5.1 (Get-WmiObject): the IIS 6 WMI provider is not reachable from PowerShell 7'
  }
  if (-not (Get-Service -Name SMTPSVC -ErrorAction SilentlyContinue)) {
    Stop-Step 'no-iis' 'the IIS SMTP Server (service SMTPSVC) is not installed on this host: install the SMTP Server feature, or remove this host from the rotation target tag'
  }
}

# Every SMTP virtual server's settings (IIsSmtpServerSetting: Name SmtpSvc/<n>, SmartHost, RouteUserName, ...).
function Get-SmtpVirtualServers {
  return @(Get-WmiObject -Namespace $WmiNamespace -Class IIsSmtpServerSetting)
}

# One virtual server's settings, read again from WMI; $null when it does not exist.
function Get-SmtpVirtualServer([string]$Name) {
  return Get-WmiObject -Namespace $WmiNamespace -Class IIsSmtpServerSetting -Filter "Name='$Name'"
}

# Writes a settings object back to the metabase.
function Save-SmtpVirtualServer($Setting) {
  [void]$Setting.Put()
}

# Restarts one SMTP virtual server through the IIS 6 metabase (ADSI) and waits until it runs again.
function Restart-SmtpVirtualServer([string]$Number) {
  $server = [ADSI]"IIS://LOCALHOST/SMTPSVC/$Number"
  [void]$server.psbase.Invoke('Stop')
  [void]$server.psbase.Invoke('Start')
  for ($i = 0; $i -lt 60; $i++) {
    $server.psbase.RefreshCache()
    if ($server.psbase.InvokeGet('ServerState') -eq 2) { return }
    Start-Sleep -Milliseconds 500
  }
  throw "SMTP virtual server $Number did not start again within 30 s"
}

# ---- Helpers ----

# Ends the step with a reason for the result line (reason words as in the Linux step).
function Stop-Step([string]$Reason, [string]$Message) {
  $exception = New-Object System.Exception $Message
  $exception.Data['reason'] = $Reason
  throw $exception
}

# Reads one string property of an object; '' when it is absent (no strict-mode error) or null.
function Get-Field($Object, [string]$Name) {
  if ($null -eq $Object) { return '' }
  $property = $Object.PSObject.Properties[$Name]
  if ($null -eq $property -or $null -eq $property.Value) { return '' }
  return [string]$property.Value
}

# Fetches one secret version's SecretString with the host's own role, by version id or by staging label.
function Get-SecretVersionString([string]$Arn, [string]$Region, [string]$VersionId, [string]$Stage) {
  $byVersion = @{ SecretId = $Arn; Region = $Region }
  $cliSelector = @('--version-stage', $Stage)
  if ($VersionId) { $byVersion.VersionId = $VersionId; $cliSelector = @('--version-id', $VersionId) } else { $byVersion.VersionStage = $Stage }
  if (-not (Get-Command Get-SECSecretValue -ErrorAction SilentlyContinue) -and (Get-Module -ListAvailable -Name AWS.Tools.SecretsManager)) {
    Import-Module AWS.Tools.SecretsManager
  }
  if (Get-Command Get-SECSecretValue -ErrorAction SilentlyContinue) {
    return (Get-SECSecretValue @byVersion).SecretString
  }
  if (Get-Command aws -ErrorAction SilentlyContinue) {
    $text = & aws secretsmanager get-secret-value --secret-id $Arn @cliSelector --region $Region --query SecretString --output text
    if ($LASTEXITCODE -ne 0) { throw "the AWS CLI could not read $($cliSelector -join ' ') of $Arn (exit $LASTEXITCODE)" }
    return ($text -join "`n")
  }
  Stop-Step 'missing-tool' 'neither AWS.Tools.SecretsManager nor the AWS CLI is installed: install one so the host can read the secret'
}

# The number n of a virtual server named SmtpSvc/n.
function Get-ServerNumber($Setting) {
  return (Get-Field $Setting 'Name').Split('/')[1]
}

# The names of a list of virtual servers, comma-separated, for the result line and messages.
function Get-ServerNames($Settings) {
  return (@($Settings) | ForEach-Object { Get-Field $_ 'Name' }) -join ','
}

# One SMTP AUTH exchange over STARTTLS with certificate and host name validation. $true accepted, $false rejected.
function Test-RelayAuth([string]$RelayHost, [int]$Port, [string]$User, [string]$Pass) {
  $client = New-Object System.Net.Sockets.TcpClient
  try {
    $client.ReceiveTimeout = 30000
    $client.SendTimeout = 30000
    $client.Connect($RelayHost, $Port)
    $plain = $client.GetStream()
    $reader = New-Object System.IO.StreamReader($plain, [System.Text.Encoding]::ASCII)
    $writer = New-Object System.IO.StreamWriter($plain, [System.Text.Encoding]::ASCII)
    $writer.NewLine = "`r`n"
    $writer.AutoFlush = $true
    $helo = 'EHLO ' + [System.Environment]::MachineName
    if ((Read-SmtpReply $reader $RelayHost) -ne '220') { throw "$RelayHost did not greet with 220" }
    $writer.WriteLine($helo)
    if ((Read-SmtpReply $reader $RelayHost) -ne '250') { throw "$RelayHost refused EHLO" }
    $writer.WriteLine('STARTTLS')
    if ((Read-SmtpReply $reader $RelayHost) -ne '220') { throw "$RelayHost refused STARTTLS" }
    $tls = New-Object System.Net.Security.SslStream($plain, $false)
    $tls.AuthenticateAsClient($RelayHost)
    $reader = New-Object System.IO.StreamReader($tls, [System.Text.Encoding]::ASCII)
    $writer = New-Object System.IO.StreamWriter($tls, [System.Text.Encoding]::ASCII)
    $writer.NewLine = "`r`n"
    $writer.AutoFlush = $true
    $writer.WriteLine($helo)
    if ((Read-SmtpReply $reader $RelayHost) -ne '250') { throw "$RelayHost refused EHLO after STARTTLS" }
    $authSecret = [Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes("`0$User`0$Pass"))
    $writer.WriteLine('AUTH PLAIN ' + $authSecret)
    $authSecret = $null
    $code = Read-SmtpReply $reader $RelayHost
    $writer.WriteLine('QUIT')
    if ($code -eq '235') { return $true }
    if ($code -eq '535' -or $code -eq '534' -or $code -eq '454') { return $false }
    throw "$RelayHost answered AUTH with $code"
  } finally {
    $client.Close()
  }
}

# The 3-digit code of one (possibly multi-line) SMTP reply.
function Read-SmtpReply($Reader, [string]$RelayHost) {
  do {
    $line = $Reader.ReadLine()
    if ($null -eq $line) { throw "$RelayHost closed the connection" }
  } while ($line.Length -gt 3 -and $line[3] -eq '-')
  return $line.Substring(0, 3)
}

# Prints the one result line the fleet push reads (stdout, outside the pipeline so main can return its exit code).
function Write-Result([string]$Fields) {
  [Console]::Out.WriteLine("$Marker $Fields")
}

# ---- Steps, in the order main runs them ----

# 1. Prerequisites: IIS SMTP present, parameters match their patterns (the agent checks them too; an old agent may not).
function Assert-Prerequisites {
  Assert-IisSmtpInstalled
  if ($env:SSM_SecretArn -cnotmatch $ArnPattern) { Stop-Step 'bad-parameter' 'parameter SecretArn is not a Secrets Manager secret ARN' }
  if ($env:SSM_VersionId -cnotmatch $VersionPattern) { Stop-Step 'bad-parameter' 'parameter VersionId is not a secret version id' }
  if ($env:SSM_IisVirtualServers -cnotmatch '^(auto|[1-9][0-9]{0,3}(,[1-9][0-9]{0,3}){0,31})$') { Stop-Step 'bad-parameter' 'parameter IisVirtualServers must be auto or a list such as 1,2' }
  if ($env:SSM_VerifyRelayAuth -cnotmatch '^(auto|yes|no)$') { Stop-Step 'bad-parameter' 'parameter VerifyRelayAuth must be auto, yes or no' }
  return @{
    SecretArn = $env:SSM_SecretArn
    VersionId = $env:SSM_VersionId
    Region = $env:SSM_SecretArn.Split(':')[3]
    Servers = $env:SSM_IisVirtualServers
    VerifyAuth = $env:SSM_VerifyRelayAuth
  }
}

# 2. Fetch: the secret version, checked field by field; errors name the field, never the value.
function Get-NewCredential($Params) {
  try {
    $secretString = Get-SecretVersionString $Params.SecretArn $Params.Region $Params.VersionId ''
  } catch {
    if ($_.Exception.Data['reason']) { throw }
    Stop-Step 'fetch-secret' ('could not read version ' + $Params.VersionId + ' of the secret: ' + $_.Exception.Message)
  }
  # One JSON object: PowerShell 7 would unwrap a one-element array, Windows PowerShell would not.
  if (-not ([string]$secretString).TrimStart().StartsWith('{')) { Stop-Step 'secret-shape' 'the secret value is not a JSON object' }
  try { $secret = $secretString | ConvertFrom-Json } catch { Stop-Step 'secret-shape' 'the secret value is not JSON' }
  $secretString = $null
  $credential = @{ User = (Get-Field $secret 'username'); Pass = (Get-Field $secret 'password'); Endpoint = (Get-Field $secret 'endpoint') }
  $credential.Regions = @(Get-AdditionalRegions $secret)
  $secret = $null
  if ($credential.User -cnotmatch '^AKIA[A-Z0-9]{12,124}$') { Stop-Step 'secret-shape' 'secret field username is missing or not an IAM access key id (AKIA...)' }
  $credential.KeyMasked = $credential.User.Substring(0, 4) + '...' + $credential.User.Substring($credential.User.Length - 4)
  if ($credential.Pass -cnotmatch '^B[A-Za-z0-9+/]{43}$') { Stop-Step 'secret-shape' 'secret field password is missing or not a SigV4 SES SMTP password (44 characters starting with B)' }
  if ($credential.Endpoint -cnotmatch '^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$') { Stop-Step 'secret-shape' 'secret field endpoint is missing or not a host name' }
  return $credential
}

# The passwords of the additional (disaster-recovery) regions: additionalRegions, each {region, endpoint, password}.
function Get-AdditionalRegions($Secret) {
  $list = $null
  if ($null -ne $Secret) { $property = $Secret.PSObject.Properties['additionalRegions']; if ($property) { $list = $property.Value } }
  $i = 0
  foreach ($entry in @($list | Where-Object { $null -ne $_ })) {
    $region = @{ Region = (Get-Field $entry 'region'); Endpoint = (Get-Field $entry 'endpoint'); Pass = (Get-Field $entry 'password') }
    if ($region.Region -cnotmatch '^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$') { Stop-Step 'secret-shape' "secret field additionalRegions[$i].region is missing or not a region name" }
    if ($region.Endpoint -cnotmatch '^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$') { Stop-Step 'secret-shape' "secret field additionalRegions[$i].endpoint is missing or not a host name" }
    if ($region.Pass -cnotmatch '^B[A-Za-z0-9+/]{43}$') { Stop-Step 'secret-shape' "secret field additionalRegions[$i].password is missing or not a SigV4 SES SMTP password" }
    $region
    $i++
  }
}

# The password for a smart host: the primary one for the secret's endpoint, an additional region's for that region's
# endpoint (SES SMTP passwords are region-bound), $null for any other host. The smart host decides: no parameter that
# could disagree with what IIS actually dials.
function Get-PasswordFor($Credential, [string]$SmartHost) {
  if ($SmartHost -eq $Credential.Endpoint) { return $Credential.Pass }
  foreach ($region in $Credential.Regions) { if ($SmartHost -eq $region.Endpoint) { return $region.Pass } }
  return $null
}

# Every endpoint the secret serves, for messages (host names are not secret).
function Get-SecretEndpoints($Credential) {
  return (@($Credential.Endpoint) + @($Credential.Regions | ForEach-Object { $_.Endpoint })) -join ' or '
}

# 3. The virtual servers to update: the listed ones, or every one whose smart host is an endpoint of the secret (the
# primary one or an additional region's).
function Select-TargetServers($Params, $Credential) {
  $Endpoint = Get-SecretEndpoints $Credential
  $all = @(Get-SmtpVirtualServers)
  if ($all.Count -eq 0) { Stop-Step 'no-iis' "no SMTP virtual server found through WMI $($WmiNamespace): install the IIS 6 WMI Compatibility feature (Web-WMI)" }
  if ($Params.Servers -eq 'auto') {
    $targets = @($all | Where-Object { $null -ne (Get-PasswordFor $Credential (Get-Field $_ 'SmartHost')) })
    if ($targets.Count -eq 0) {
      $seen = ($all | ForEach-Object { "$(Get-Field $_ 'Name') smart host '$(Get-Field $_ 'SmartHost')'" }) -join '; '
      Stop-Step 'endpoint-mismatch' "no SMTP virtual server has smart host $Endpoint ($seen): set the smart host, or name the servers in IisVirtualServers"
    }
    return $targets
  }
  $targets = @()
  foreach ($n in $Params.Servers.Split(',')) {
    $match = @($all | Where-Object { (Get-Field $_ 'Name') -eq "SmtpSvc/$n" })
    if ($match.Count -ne 1) { Stop-Step 'no-server' "SMTP virtual server SmtpSvc/$n does not exist (found: $(Get-ServerNames $all)): nothing changed" }
    $smartHost = Get-Field $match[0] 'SmartHost'
    if ($null -eq (Get-PasswordFor $Credential $smartHost)) { Stop-Step 'endpoint-mismatch' "SmtpSvc/$n has smart host '$smartHost', not $($Endpoint): nothing changed" }
    $targets += $match[0]
  }
  return $targets
}

# 4. Verify: each smart host of the targets accepts its password (SMTP AUTH), before anything changes.
function Test-NewCredential($Params, $Credential, $Targets) {
  if ($Params.VerifyAuth -eq 'no') { return 'skipped' }
  $tested = @{}
  foreach ($target in $Targets) {
    $smartHost = Get-Field $target 'SmartHost'
    if ($tested.ContainsKey($smartHost)) { continue }
    $tested[$smartHost] = $true
    $port = 0
    [void][int]::TryParse((Get-Field $target 'RemoteSmtpPort'), [ref]$port)
    if ($port -le 0) { $port = 587 }
    try {
      $accepted = Test-RelayAuth $smartHost $port $Credential.User (Get-PasswordFor $Credential $smartHost)
    } catch {
      Stop-Step 'relay-unreachable' "could not test the new credential against $($smartHost):$($port): $($_.Exception.Message); nothing changed"
    }
    if (-not $accepted) {
      Stop-Step 'relay-rejected' "$smartHost rejected the new credential (SMTP AUTH): the key may not be active yet, or the password was derived for another region; nothing changed"
    }
  }
  return 'verified'
}

# The password to restore for a virtual server: WMI may not return RoutePassword, so fall back to the secret's
# AWSCURRENT version (what the host ran with before this rotation) when it belongs to the same user name.
function Get-PreviousPassword($Params, $Setting) {
  $fromWmi = Get-Field $Setting 'RoutePassword'
  if ($fromWmi) { return $fromWmi }
  try {
    $current = (Get-SecretVersionString $Params.SecretArn $Params.Region '' 'AWSCURRENT') | ConvertFrom-Json
    if ((Get-Field $current 'username') -eq (Get-Field $Setting 'RouteUserName')) {
      $before = @{ Endpoint = (Get-Field $current 'endpoint'); Pass = (Get-Field $current 'password'); Regions = @(Get-AdditionalRegions $current) }
      return (Get-PasswordFor $before (Get-Field $Setting 'SmartHost'))
    }
  } catch {
    [Console]::Error.WriteLine('warning: could not read the AWSCURRENT version for rollback: ' + $_.Exception.Message)
  }
  return $null
}

# 5. Build: the servers that need the new credential, each with what to restore. Servers that already hold it are left
# alone (a retried command changes nothing).
function New-SwapPlan($Params, $Credential, $Targets) {
  $plan = @()
  foreach ($setting in $Targets) {
    $newPass = Get-PasswordFor $Credential (Get-Field $setting 'SmartHost')
    $holdsIt = ((Get-Field $setting 'RouteUserName') -ceq $Credential.User) -and ((Get-Field $setting 'RoutePassword') -ceq $newPass)
    if ($holdsIt) { continue }
    $plan += [pscustomobject]@{
      NewPass = $newPass
      Name = (Get-Field $setting 'Name')
      Number = (Get-ServerNumber $setting)
      User = (Get-Field $setting 'RouteUserName')
      Pass = (Get-PreviousPassword $Params $setting)
      Setting = $setting
    }
  }
  return $plan
}

# 6. Swap: writes RouteUserName/RoutePassword (nothing else) and restarts each server. Each entry goes into $Applied
# before its server is touched, so a failure half-way rolls back that server too.
function Invoke-Swap($Plan, $Credential, $Applied) {
  foreach ($entry in $Plan) {
    [void]$Applied.Add($entry)
    try {
      $entry.Setting.RouteUserName = $Credential.User
      $entry.Setting.RoutePassword = $entry.NewPass
      Save-SmtpVirtualServer $entry.Setting
      Restart-SmtpVirtualServer $entry.Number
    } catch {
      Stop-Step 'swap' "$($entry.Name): $($_.Exception.Message)"
    }
  }
}

# 7. Verify again: each changed server, read back from WMI, holds the new user name (and password, when WMI returns it).
function Confirm-Swap($Plan, $Credential) {
  foreach ($entry in $Plan) {
    $check = Get-SmtpVirtualServer $entry.Name
    if ($null -eq $check) { Stop-Step 'verify' "$($entry.Name) disappeared after the change" }
    if ((Get-Field $check 'RouteUserName') -cne $Credential.User) { Stop-Step 'verify' "$($entry.Name) did not keep the new user name after Put()" }
    $readBack = Get-Field $check 'RoutePassword'
    if ($readBack -and $readBack -cne $entry.NewPass) { Stop-Step 'verify' "$($entry.Name) did not keep the new password after Put()" }
  }
}

# 8. Roll back: restores the previous RouteUserName/RoutePassword of every server in $Applied and restarts it.
# Returns 'done', or 'failed' when one could not be restored (each named on stderr).
function Undo-Swap($Applied) {
  $result = 'done'
  foreach ($entry in $Applied) {
    try {
      if ($null -eq $entry.Pass) { throw 'the previous password is unknown (WMI did not return it and AWSCURRENT is another key)' }
      $setting = Get-SmtpVirtualServer $entry.Name
      if ($null -eq $setting) { throw 'it no longer exists' }
      $setting.RouteUserName = $entry.User
      $setting.RoutePassword = $entry.Pass
      Save-SmtpVirtualServer $setting
      Restart-SmtpVirtualServer $entry.Number
    } catch {
      $result = 'failed'
      [Console]::Error.WriteLine("error: restoring $($entry.Name) failed: $($_.Exception.Message)")
    }
  }
  return $result
}

# Runs the steps; prints the result line and returns the exit code (0 or 1). Emits nothing else on the pipeline.
function main {
  $applied = New-Object System.Collections.ArrayList
  $keyMasked = '-'
  try {
    $params = Assert-Prerequisites
    $credential = Get-NewCredential $params
    $keyMasked = $credential.KeyMasked
    $targets = @(Select-TargetServers $params $credential)
    $plan = @(New-SwapPlan $params $credential $targets)
    if ($plan.Count -eq 0) {
      Write-Result "status=unchanged mta=iis key=$keyMasked servers=$(Get-ServerNames $targets)"
      return 0
    }
    $auth = Test-NewCredential $params $credential $targets
    Invoke-Swap $plan $credential $applied
    Confirm-Swap $plan $credential
    Write-Result "status=updated mta=iis key=$keyMasked servers=$(Get-ServerNames $targets) changed=$(Get-ServerNames $plan) auth=$auth"
    return 0
  } catch {
    [Console]::Error.WriteLine('error: ' + $_.Exception.Message)
    $reason = $_.Exception.Data['reason']
    if (-not $reason) { $reason = 'unexpected' }
    $rollback = 'not-needed'
    if ($applied.Count -gt 0) { $rollback = Undo-Swap $applied }
    Write-Result "status=failed mta=iis reason=$reason rollback=$rollback key=$keyMasked"
    return 1
  }
}

# Dot-sourcing (. ./iis-update.ps1) only defines the functions, so tests can replace the seam and call main.
if ($MyInvocation.InvocationName -ne '.') {
  try {
    $exitCode = main
  } catch {
    [Console]::Error.WriteLine('error: ' + $_.Exception.Message)
    $exitCode = 1
  }
  # Anything but a single number (e.g. stray pipeline output of a customization) fails the step.
  if ($exitCode -isnot [int]) {
    [Console]::Error.WriteLine('error: main returned more than its exit code: a customized step writes to the pipeline (add [void] or | Out-Null)')
  } elseif ($exitCode -eq 0) {
    exit 0
  }
  exit 1
}
