# A stateful fake of the IIS 6 SMTP virtual servers, as iis-update.ps1 sees them through its seam.
#
# It stands in for WMI (Get-WmiObject -Namespace root/MicrosoftIISv2 -Class IIsSmtpServerSetting [-Filter "Name='…'"]),
# for the SMTPSVC service (Get-Service) and for the metabase restart (Restart-SmtpVirtualServer, ADSI in the script).
# Like WMI, every query returns fresh copies; Put() writes every property of the copy back to the store, so a script
# that changed anything besides RouteUserName/RoutePassword would be seen. Dot-source it after the step script: its
# functions then shadow the cmdlets and the script's ADSI seam.

# Creates the store. $Servers: hashtables with Number, SmartHost, RouteUserName, RoutePassword, RemoteSmtpPort
# (and any other property, kept as is).
function New-FakeIis([object[]]$Servers) {
  $store = [ordered]@{}
  foreach ($server in $Servers) {
    $entry = [ordered]@{
      Name = "SmtpSvc/$($server.Number)"
      SmartHost = $null
      RouteUserName = $null
      RoutePassword = $null
      RemoteSmtpPort = 25
      RouteAction = 268
      AuthFlags = 1
      RelayForAuth = -1
    }
    foreach ($key in $server.Keys) { if ($key -ne 'Number') { $entry[$key] = $server[$key] } }
    $store[$entry.Name] = $entry
  }
  $global:FakeIis = @{
    Store = $store
    # WMI on a real host may not return RoutePassword (write-only in the metabase): $false models that.
    ReturnsPassword = $true
    ServiceInstalled = $true
    Restarts = New-Object System.Collections.ArrayList
    Puts = New-Object System.Collections.ArrayList
    # Server name => 'ignore-put' (the next Put() of it succeeds but changes nothing) or 'fail-start'.
    Faults = @{}
    # Runs inside the next restart of any server (a test's hook, e.g. to raise a strict-mode error); then cleared.
    OnRestart = $null
  }
}

# A deep copy of the store, to compare before/after.
function Get-FakeIisSnapshot {
  $copy = [ordered]@{}
  foreach ($name in $global:FakeIis.Store.Keys) { $copy[$name] = [ordered]@{} + $global:FakeIis.Store[$name] }
  return $copy
}

function New-FakeSetting([string]$Name) {
  $entry = $global:FakeIis.Store[$Name]
  $properties = [ordered]@{}
  foreach ($key in $entry.Keys) { $properties[$key] = $entry[$key] }
  if (-not $global:FakeIis.ReturnsPassword) { $properties.RoutePassword = $null }
  $setting = New-Object psobject -Property $properties
  $setting | Add-Member -MemberType ScriptMethod -Name Put -Value {
    $target = $global:FakeIis.Store[$this.Name]
    [void]$global:FakeIis.Puts.Add($this.Name)
    if ($global:FakeIis.Faults[$this.Name] -eq 'ignore-put') {
      $global:FakeIis.Faults.Remove($this.Name)
      return
    }
    foreach ($property in $this.PSObject.Properties) {
      if ($property.MemberType -ne 'NoteProperty') { continue }
      # A password WMI did not return comes back as $null: writing it back must not erase the stored one.
      if ($property.Name -eq 'RoutePassword' -and $null -eq $property.Value) { continue }
      $target[$property.Name] = $property.Value
    }
  }
  return $setting
}

function Get-WmiObject {
  param([string]$Namespace, [string]$Class, [string]$Filter)
  if ($Namespace -ne 'root/MicrosoftIISv2' -or $Class -ne 'IIsSmtpServerSetting') {
    throw "fake WMI: unexpected query $Namespace $Class"
  }
  if (-not $Filter) {
    foreach ($name in @($global:FakeIis.Store.Keys)) { New-FakeSetting $name }
    return
  }
  if ($Filter -notmatch "^Name='(SmtpSvc/[0-9]+)'$") { throw "fake WMI: unexpected filter $Filter" }
  if ($global:FakeIis.Store.Contains($Matches[1])) { New-FakeSetting $Matches[1] }
}

function Get-Service {
  param([string]$Name, [System.Management.Automation.ActionPreference]$ErrorAction)
  if ($Name -eq 'SMTPSVC' -and $global:FakeIis.ServiceInstalled) { return [pscustomobject]@{ Name = 'SMTPSVC'; Status = 'Running' } }
}

# Replaces the script's ADSI restart.
function Restart-SmtpVirtualServer([string]$Number) {
  [void]$global:FakeIis.Restarts.Add($Number)
  $hook = $global:FakeIis.OnRestart
  if ($hook) {
    $global:FakeIis.OnRestart = $null
    & $hook
  }
  if ($global:FakeIis.Faults["SmtpSvc/$Number"] -eq 'fail-start') {
    $global:FakeIis.Faults.Remove("SmtpSvc/$Number")
    throw "SMTP virtual server $Number did not start again within 30 s"
  }
}
