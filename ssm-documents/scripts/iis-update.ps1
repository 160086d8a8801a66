# ses-smtp-rotation, Windows step: installs one version of the SES SMTP credential into IIS 6 SMTP virtual servers.
# Parameters arrive as SSM_* environment variables (interpolationType ENV_VAR, SSM Agent 3.3.2746.0 or later).
# Requires: Windows PowerShell 5.1, the SMTP Server feature with IIS 6 WMI and Metabase compatibility,
# AWS.Tools.SecretsManager (or AWSPowerShell, or the AWS CLI). Never prints the password.
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

$applied = New-Object System.Collections.ArrayList
$keyMasked = '-'
$authResult = 'skipped'

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
  throw 'neither AWS.Tools.SecretsManager nor the AWS CLI is installed: install one so the host can read the secret'
}

# Reads one string field of the parsed secret; errors name the field, never the value.
function Get-Field($Object, [string]$Name) {
  $property = $Object.PSObject.Properties[$Name]
  if ($null -eq $property) { return '' }
  return [string]$property.Value
}

# The password to restore for a virtual server: WMI may not return RoutePassword, so fall back to the secret's
# AWSCURRENT version (what the host ran with before this rotation) when it belongs to the same user name.
function Get-PreviousPassword($Setting) {
  if ($Setting.RoutePassword) { return [string]$Setting.RoutePassword }
  try {
    $current = (Get-SecretVersionString $env:SSM_SecretArn $region '' 'AWSCURRENT') | ConvertFrom-Json
    if ((Get-Field $current 'username') -eq $Setting.RouteUserName) { return (Get-Field $current 'password') }
  } catch {
    [Console]::Error.WriteLine('warning: could not read the AWSCURRENT version for rollback: ' + $_.Exception.Message)
  }
  return $null
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
    function Read-Reply($r) {
      do { $line = $r.ReadLine(); if ($null -eq $line) { throw "$RelayHost closed the connection" } } while ($line.Length -gt 3 -and $line[3] -eq '-')
      return $line.Substring(0, 3)
    }
    if ((Read-Reply $reader) -ne '220') { throw "$RelayHost did not greet with 220" }
    $writer.WriteLine('EHLO ' + $env:COMPUTERNAME)
    if ((Read-Reply $reader) -ne '250') { throw "$RelayHost refused EHLO" }
    $writer.WriteLine('STARTTLS')
    if ((Read-Reply $reader) -ne '220') { throw "$RelayHost refused STARTTLS" }
    $tls = New-Object System.Net.Security.SslStream($plain, $false)
    $tls.AuthenticateAsClient($RelayHost)
    $reader = New-Object System.IO.StreamReader($tls, [System.Text.Encoding]::ASCII)
    $writer = New-Object System.IO.StreamWriter($tls, [System.Text.Encoding]::ASCII)
    $writer.NewLine = "`r`n"
    $writer.AutoFlush = $true
    $writer.WriteLine('EHLO ' + $env:COMPUTERNAME)
    if ((Read-Reply $reader) -ne '250') { throw "$RelayHost refused EHLO after STARTTLS" }
    $authSecret = [Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes("`0$User`0$Pass"))
    $writer.WriteLine('AUTH PLAIN ' + $authSecret)
    $authSecret = $null
    $code = Read-Reply $reader
    $writer.WriteLine('QUIT')
    if ($code -eq '235') { return $true }
    if ($code -eq '535' -or $code -eq '534' -or $code -eq '454') { return $false }
    throw "$RelayHost answered AUTH with $code"
  } finally {
    $client.Close()
  }
}

# Restores the previous RouteUserName/RoutePassword of every virtual server this run changed, and restarts it.
function Restore-Previous {
  $ok = $true
  foreach ($entry in $applied) {
    try {
      $setting = Get-WmiObject -Namespace 'root/MicrosoftIISv2' -Class IIsSmtpServerSetting -Filter "Name='$($entry.Name)'"
      if ($null -eq $entry.Pass) { throw 'the previous password is unknown (WMI did not return it and AWSCURRENT is another key)' }
      $setting.RouteUserName = $entry.User
      $setting.RoutePassword = $entry.Pass
      [void]$setting.Put()
      Restart-VirtualServer $entry.Number
    } catch {
      $ok = $false
      [Console]::Error.WriteLine("error: restoring $($entry.Name) failed: $($_.Exception.Message)")
    }
  }
  return $ok
}

# Restarts one SMTP virtual server through the IIS 6 metabase (ADSI) and waits until it runs again.
function Restart-VirtualServer([string]$Number) {
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

try {
  if (-not (Get-Service -Name SMTPSVC -ErrorAction SilentlyContinue)) {
    throw 'the IIS SMTP Server (service SMTPSVC) is not installed on this host: install the SMTP Server feature, or remove this host from the rotation target tag'
  }
  if ($env:SSM_SecretArn -cnotmatch $ArnPattern) { throw 'parameter SecretArn is not a Secrets Manager secret ARN' }
  if ($env:SSM_VersionId -cnotmatch $VersionPattern) { throw 'parameter VersionId is not a secret version id' }
  if ($env:SSM_IisVirtualServers -cnotmatch '^(auto|[1-9][0-9]{0,3}(,[1-9][0-9]{0,3}){0,31})$') { throw 'parameter IisVirtualServers must be auto or a list such as 1,2' }
  if ($env:SSM_VerifyRelayAuth -cnotmatch '^(auto|yes|no)$') { throw 'parameter VerifyRelayAuth must be auto, yes or no' }
  $region = $env:SSM_SecretArn.Split(':')[3]

  $secretString = Get-SecretVersionString $env:SSM_SecretArn $region $env:SSM_VersionId ''

  try { $secret = $secretString | ConvertFrom-Json } catch { throw 'the secret value is not JSON' }
  $secretString = $null
  $user = Get-Field $secret 'username'
  $pass = Get-Field $secret 'password'
  $endpoint = Get-Field $secret 'endpoint'
  $secret = $null
  if ($user -cnotmatch '^AKIA[A-Z0-9]{12,124}$') { throw 'secret field username is missing or not an IAM access key id (AKIA...)' }
  $keyMasked = $user.Substring(0, 4) + '...' + $user.Substring($user.Length - 4)
  if ($pass -cnotmatch '^B[A-Za-z0-9+/]{43}$') { throw 'secret field password is missing or not a SigV4 SES SMTP password (44 characters starting with B)' }
  if ($endpoint -cnotmatch '^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$') { throw 'secret field endpoint is missing or not a host name' }

  $all = @(Get-WmiObject -Namespace 'root/MicrosoftIISv2' -Class IIsSmtpServerSetting)
  if ($all.Count -eq 0) { throw 'no SMTP virtual server found through WMI root/MicrosoftIISv2: install the IIS 6 WMI Compatibility feature (Web-WMI)' }
  if ($env:SSM_IisVirtualServers -eq 'auto') {
    $targets = @($all | Where-Object { $_.SmartHost -eq $endpoint })
    if ($targets.Count -eq 0) {
      $seen = ($all | ForEach-Object { "$($_.Name) smart host '$($_.SmartHost)'" }) -join '; '
      throw "no SMTP virtual server has smart host $endpoint ($seen): set the smart host, or name the servers in IisVirtualServers"
    }
  } else {
    $targets = @()
    foreach ($n in $env:SSM_IisVirtualServers.Split(',')) {
      $match = @($all | Where-Object { $_.Name -eq "SmtpSvc/$n" })
      if ($match.Count -ne 1) { throw "SMTP virtual server SmtpSvc/$n does not exist" }
      if ($match[0].SmartHost -ne $endpoint) { throw "SmtpSvc/$n has smart host '$($match[0].SmartHost)', not $endpoint: nothing changed" }
      $targets += $match[0]
    }
  }

  $pending = @($targets | Where-Object { $_.RouteUserName -ne $user -or $_.RoutePassword -ne $pass })
  if ($pending.Count -eq 0) {
    Write-Output "$Marker status=unchanged mta=iis key=$keyMasked servers=$(($targets | ForEach-Object { $_.Name }) -join ',')"
    exit 0
  }

  if ($env:SSM_VerifyRelayAuth -ne 'no') {
    $port = [int]$targets[0].RemoteSmtpPort
    if ($port -le 0) { $port = 587 }
    if (-not (Test-RelayAuth $endpoint $port $user $pass)) {
      throw "$endpoint rejected the new credential (SMTP AUTH): the key may not be active yet, or the password was derived for another region; nothing changed"
    }
    $authResult = 'verified'
  }

  foreach ($setting in $pending) {
    $number = $setting.Name.Split('/')[1]
    $previousPass = Get-PreviousPassword $setting
    [void]$applied.Add([pscustomobject]@{ Name = $setting.Name; Number = $number; User = $setting.RouteUserName; Pass = $previousPass })
    $setting.RouteUserName = $user
    $setting.RoutePassword = $pass
    [void]$setting.Put()
    Restart-VirtualServer $number
    $check = Get-WmiObject -Namespace 'root/MicrosoftIISv2' -Class IIsSmtpServerSetting -Filter "Name='$($setting.Name)'"
    if ($check.RouteUserName -ne $user) { throw "$($setting.Name) did not keep the new user name after Put()" }
  }
  $names = ($targets | ForEach-Object { $_.Name }) -join ','
  Write-Output "$Marker status=updated mta=iis key=$keyMasked servers=$names auth=$authResult"
  exit 0
} catch {
  [Console]::Error.WriteLine('error: ' + $_.Exception.Message)
  $rollback = 'not-needed'
  if ($applied.Count -gt 0) { if (Restore-Previous) { $rollback = 'done' } else { $rollback = 'failed' } }
  Write-Output "$Marker status=failed mta=iis rollback=$rollback key=$keyMasked"
  exit 1
}
