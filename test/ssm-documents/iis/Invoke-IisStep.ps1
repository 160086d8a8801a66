# Runs the IIS step the way the SSM Agent would, in this PowerShell, against the fake IIS (FakeIis.ps1).
# Driven by test/ssm-documents/iis-update.test.ts, which writes the fixture named by $env:SES_IIS_FIXTURE: the step's
# text taken from the shipped document, the document's parameter patterns, the secret versions stored in the fake
# AWS CLI (first on PATH) and the credentials the local SMTP relay accepts.

$Fixture = Get-Content -Raw -LiteralPath $env:SES_IIS_FIXTURE | ConvertFrom-Json
$FakeIisPath = Join-Path $PSScriptRoot 'FakeIis.ps1'
$ParameterNames = @('SecretArn', 'VersionId', 'IisVirtualServers', 'VerifyRelayAuth')
# Every run's captured output, for the final scan.
$global:IisStepOutputs = New-Object System.Collections.ArrayList

# Emulates the agent: fills defaults, rejects values failing allowedPattern (unless -BypassAgent, which models a value
# that reached the script anyway: only through SSM_* variables, never spliced), substitutes the placeholders, exports
# SSM_* (unless -LegacyAgent), then dot-sources the step (functions only), puts the fake in front of IIS and calls main
# with every stream enabled and captured.
function Invoke-IisStep([hashtable]$Parameters = @{}, [switch]$LegacyAgent, [switch]$BypassAgent) {
  $values = @{ SecretArn = $Fixture.secretArn }
  foreach ($name in $ParameterNames) {
    if ($Parameters.ContainsKey($name)) { $values[$name] = $Parameters[$name] }
    elseif (-not $values.ContainsKey($name)) { $values[$name] = $Fixture.parameters.$name.default }
    if (-not $BypassAgent -and $values[$name] -cnotmatch $Fixture.parameters.$name.allowedPattern) {
      throw "the agent would reject parameter $name"
    }
  }
  $text = $Fixture.stepText
  if (-not $BypassAgent) {
    foreach ($name in $ParameterNames) { $text = $text.Replace("{{ $name }}", $values[$name]) }
  }
  $file = Join-Path $Fixture.workDir ("step-{0}.ps1" -f [guid]::NewGuid())
  Set-Content -LiteralPath $file -Value $text -NoNewline
  foreach ($name in $ParameterNames) {
    if ($LegacyAgent) { Remove-Item "env:SSM_$name" -ErrorAction SilentlyContinue }
    else { Set-Item "env:SSM_$name" $values[$name] }
  }
  $stdout = New-Object System.IO.StringWriter
  $stderr = New-Object System.IO.StringWriter
  $consoleOut = [Console]::Out
  $consoleError = [Console]::Error
  $VerbosePreference = 'Continue'
  $DebugPreference = 'Continue'
  $InformationPreference = 'Continue'
  $WarningPreference = 'Continue'
  [Console]::SetOut($stdout)
  [Console]::SetError($stderr)
  try {
    $streams = & {
      . $file
      . $FakeIisPath
      main
    } *>&1
  } finally {
    [Console]::SetOut($consoleOut)
    [Console]::SetError($consoleError)
    Remove-Item -LiteralPath $file
    foreach ($name in $ParameterNames) { Remove-Item "env:SSM_$name" -ErrorAction SilentlyContinue }
  }
  $returned = @($streams | Where-Object { $_ -is [int] })
  $other = @($streams | Where-Object { $_ -isnot [int] } | ForEach-Object { "[$($_.GetType().Name)] $_" })
  $lines = @($stdout.ToString() -split "`r?`n" | Where-Object { $_ })
  $run = [pscustomobject]@{
    ExitCode = if ($returned.Count -eq 1) { $returned[0] } else { $null }
    Returned = $returned
    Stdout = $stdout.ToString()
    Stderr = $stderr.ToString()
    Streams = $other
    ResultLine = if ($lines.Count -gt 0) { $lines[-1] } else { '' }
    ResultLines = @($lines | Where-Object { $_.StartsWith('ses-smtp-rotation-result ') })
  }
  [void]$global:IisStepOutputs.Add(($run.Stdout, $run.Stderr, ($run.Streams -join "`n")) -join "`n")
  return $run
}

# The result line's fields as a hashtable (key=value words after the marker).
function Get-ResultFields($Run) {
  $fields = @{}
  foreach ($word in ($Run.ResultLine -split ' ' | Select-Object -Skip 1)) {
    $pair = $word.Split('=', 2)
    $fields[$pair[0]] = $pair[1]
  }
  return $fields
}

# Whether any of $Text contains a password of the fixture or its AUTH PLAIN encoding (never prints the value).
function Test-ContainsSecret([string]$Text) {
  foreach ($credential in $Fixture.credentials) {
    $plain = [Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes("`0$($credential.user)`0$($credential.pass)"))
    if ($Text.Contains($credential.pass) -or $Text.Contains($plain)) { return $true }
  }
  return $false
}

# How many times the fake AWS CLI was called so far.
function Get-AwsCallCount {
  if (-not (Test-Path -LiteralPath $Fixture.awsCallsLog)) { return 0 }
  return @(Get-Content -LiteralPath $Fixture.awsCallsLog).Count
}
