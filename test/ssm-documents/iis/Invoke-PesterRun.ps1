# Runs one Pester file and writes a JSON summary (and NUnit XML) for the jest test that started this PowerShell.
param(
  [Parameter(Mandatory)] [string]$TestPath,
  [Parameter(Mandatory)] [string]$SummaryPath,
  [Parameter(Mandatory)] [string]$NUnitPath
)
$ErrorActionPreference = 'Stop'
Import-Module Pester -RequiredVersion 6.2.0
$configuration = New-PesterConfiguration
$configuration.Run.Path = $TestPath
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Detailed'
$configuration.TestResult.Enabled = $true
$configuration.TestResult.OutputFormat = 'NUnitXml'
$configuration.TestResult.OutputPath = $NUnitPath
$result = Invoke-Pester -Configuration $configuration
$tests = @($result.Tests | ForEach-Object {
    [pscustomobject]@{
      name = $_.ExpandedName
      path = ($_.Path -join ' > ')
      result = [string]$_.Result
      error = (@($_.ErrorRecord | ForEach-Object { $_.Exception.Message }) -join '; ')
    }
  })
[pscustomobject]@{
  powershell = $PSVersionTable.PSVersion.ToString()
  pester = (Get-Module Pester).Version.ToString()
  result = [string]$result.Result
  total = $result.TotalCount
  passed = $result.PassedCount
  failed = $result.FailedCount
  skipped = $result.SkippedCount
  notRun = $result.NotRunCount
  containersFailed = $result.FailedContainersCount
  tests = $tests
} | ConvertTo-Json -Depth 5 | Set-Content -LiteralPath $SummaryPath -Encoding utf8
