# Pester scenarios of the IIS step (ssm-documents/scripts/iis-update.ps1, as the shipped document holds it), run by
# test/ssm-documents/iis-update.test.ts. IIS is the stateful fake of FakeIis.ps1; the secret comes from the fake AWS
# CLI on PATH; SMTP AUTH goes to a real local relay over STARTTLS with a certificate from a test CA.

BeforeAll {
  . (Join-Path $PSScriptRoot 'Invoke-IisStep.ps1')
  . (Join-Path $PSScriptRoot 'FakeIis.ps1')
  $New = $Fixture.versions.new
  $Old = $Fixture.versions.old
  $Endpoint = $Fixture.endpoint
  $Port = $Fixture.relayPort

  # Three servers: 1 and 3 relay to the endpoint with the old credential, 2 to another smart host.
  function New-Fleet {
    New-FakeIis @(
      @{ Number = 1; SmartHost = $Endpoint; RouteUserName = $Old.user; RoutePassword = $Old.pass; RemoteSmtpPort = $Port },
      @{ Number = 2; SmartHost = 'smtp.elsewhere.example'; RouteUserName = 'AKIAOTHERRELAY00000'; RoutePassword = 'other-relay-password'; RemoteSmtpPort = 25 },
      @{ Number = 3; SmartHost = $Endpoint; RouteUserName = $Old.user; RoutePassword = $Old.pass; RemoteSmtpPort = $Port }
    )
  }

  # Whether server $Name holds credential $Credential (compared without printing the password).
  function Test-Holds([string]$Name, $Credential) {
    $entry = $global:FakeIis.Store[$Name]
    return ($entry.RouteUserName -ceq $Credential.user) -and ($entry.RoutePassword -ceq $Credential.pass)
  }

  # Fails unless the store equals $Before except for RouteUserName/RoutePassword of the servers in $Changed.
  function Assert-OnlyCredentialsChanged($Before, [string[]]$Changed) {
    foreach ($name in $Before.Keys) {
      foreach ($key in $Before[$name].Keys) {
        if ($Changed -contains $name -and ($key -eq 'RouteUserName' -or $key -eq 'RoutePassword')) { continue }
        $global:FakeIis.Store[$name][$key] | Should -Be $Before[$name][$key] -Because "$name.$key must not change"
      }
    }
  }

  function Assert-NothingChanged($Before) {
    Assert-OnlyCredentialsChanged $Before @()
    foreach ($name in $Before.Keys) {
      ($global:FakeIis.Store[$name].RoutePassword -ceq $Before[$name].RoutePassword) | Should -BeTrue -Because "$name keeps its password"
    }
    $global:FakeIis.Puts.Count | Should -Be 0
    $global:FakeIis.Restarts.Count | Should -Be 0
  }
}

Describe 'the IIS step under PowerShell' {
  BeforeEach {
    New-Fleet
    $before = Get-FakeIisSnapshot
  }

  Context 'its contract with the fleet push' {
    It 'uses the contract result marker and parameter patterns of src/core/document-contract.ts' {
      $Env:SSM_SecretArn = $Fixture.secretArn
      . ([scriptblock]::Create($Fixture.stepText.Replace('$MyInvocation.InvocationName', "'.'")))
      foreach ($name in $ParameterNames) { Remove-Item "env:SSM_$name" -ErrorAction SilentlyContinue }
      $Marker | Should -BeExactly $Fixture.contract.marker
      $ArnPattern | Should -BeExactly $Fixture.contract.secretArnPattern
      $VersionPattern | Should -BeExactly $Fixture.contract.versionIdPattern
    }

    It 'returns only its exit code from main and prints exactly one result line' {
      $run = Invoke-IisStep @{ VersionId = $New.versionId }
      $run.Returned | Should -HaveCount 1
      $run.Returned[0] | Should -BeOfType [int]
      $run.ResultLines | Should -HaveCount 1
      $run.Streams | Should -HaveCount 0
    }
  }

  Context 'success' {
    It 'installs the new credential on the one server whose smart host is the endpoint (auto)' {
      $global:FakeIis.Store.Remove('SmtpSvc/3')
      $before = Get-FakeIisSnapshot
      $run = Invoke-IisStep @{ VersionId = $New.versionId }
      $run.Stderr | Should -BeNullOrEmpty
      $run.ExitCode | Should -Be 0
      $run.ResultLine | Should -BeExactly "ses-smtp-rotation-result status=updated mta=iis key=$($New.masked) servers=SmtpSvc/1 changed=SmtpSvc/1 auth=verified"
      Test-Holds 'SmtpSvc/1' $New | Should -BeTrue
      Assert-OnlyCredentialsChanged $before @('SmtpSvc/1')
      $global:FakeIis.Restarts | Should -Be @('1')
    }

    It 'installs it on several servers, and never on one with another smart host' {
      $run = Invoke-IisStep @{ VersionId = $New.versionId }
      $run.ExitCode | Should -Be 0
      (Get-ResultFields $run).servers | Should -Be 'SmtpSvc/1,SmtpSvc/3'
      Test-Holds 'SmtpSvc/1' $New | Should -BeTrue
      Test-Holds 'SmtpSvc/3' $New | Should -BeTrue
      Assert-OnlyCredentialsChanged $before @('SmtpSvc/1', 'SmtpSvc/3')
      $global:FakeIis.Restarts | Should -Be @('1', '3')
    }

    It 'updates exactly the servers listed in IisVirtualServers' {
      $run = Invoke-IisStep @{ VersionId = $New.versionId; IisVirtualServers = '3' }
      $run.ExitCode | Should -Be 0
      (Get-ResultFields $run).servers | Should -Be 'SmtpSvc/3'
      Test-Holds 'SmtpSvc/3' $New | Should -BeTrue
      Test-Holds 'SmtpSvc/1' $Old | Should -BeTrue
    }

    It 'changes nothing and restarts nothing when the servers already hold the version (a retried command)' {
      (Invoke-IisStep @{ VersionId = $New.versionId }).ExitCode | Should -Be 0
      $global:FakeIis.Restarts.Clear()
      $global:FakeIis.Puts.Clear()
      $run = Invoke-IisStep @{ VersionId = $New.versionId }
      $run.ExitCode | Should -Be 0
      (Get-ResultFields $run).status | Should -Be 'unchanged'
      $global:FakeIis.Puts.Count | Should -Be 0
      $global:FakeIis.Restarts.Count | Should -Be 0
    }

    It 'runs on an old agent that only substitutes the placeholders (no SSM_ variables)' {
      $run = Invoke-IisStep @{ VersionId = $New.versionId; IisVirtualServers = '1,3' } -LegacyAgent
      $run.ExitCode | Should -Be 0
      (Get-ResultFields $run).status | Should -Be 'updated'
      Test-Holds 'SmtpSvc/3' $New | Should -BeTrue
    }

    It 'skips the SMTP AUTH test with VerifyRelayAuth=no' {
      $run = Invoke-IisStep @{ VersionId = $Fixture.versions.rejected.versionId; VerifyRelayAuth = 'no' }
      $run.ExitCode | Should -Be 0
      (Get-ResultFields $run).auth | Should -Be 'skipped'
    }
  }

  Context 'failures' {
    It 'changes nothing when the relay rejects the new credential' {
      $run = Invoke-IisStep @{ VersionId = $Fixture.versions.rejected.versionId }
      $run.ExitCode | Should -Be 1
      $run.ResultLine | Should -BeExactly "ses-smtp-rotation-result status=failed mta=iis reason=relay-rejected rollback=not-needed key=$($Fixture.versions.rejected.masked)"
      $run.Stderr | Should -Match 'rejected the new credential \(SMTP AUTH\)'
      Assert-NothingChanged $before
    }

    It 'restores the previous credential on every server when the check after the swap fails' {
      $global:FakeIis.Faults['SmtpSvc/3'] = 'ignore-put'
      $run = Invoke-IisStep @{ VersionId = $New.versionId }
      $run.ExitCode | Should -Be 1
      $fields = Get-ResultFields $run
      $fields.reason | Should -Be 'verify'
      $fields.rollback | Should -Be 'done'
      $run.Stderr | Should -Match 'SmtpSvc/3 did not keep the new user name'
      Test-Holds 'SmtpSvc/1' $Old | Should -BeTrue
      Test-Holds 'SmtpSvc/3' $Old | Should -BeTrue
      Assert-OnlyCredentialsChanged $before @()
      $global:FakeIis.Restarts | Should -Be @('1', '3', '1', '3')
    }

    It 'restores the previous credential when a server does not start again' {
      $global:FakeIis.Faults['SmtpSvc/3'] = 'fail-start'
      $run = Invoke-IisStep @{ VersionId = $New.versionId }
      $run.ExitCode | Should -Be 1
      (Get-ResultFields $run).reason | Should -Be 'swap'
      (Get-ResultFields $run).rollback | Should -Be 'done'
      $run.Stderr | Should -Match 'SmtpSvc/3.*did not start again'
      Test-Holds 'SmtpSvc/1' $Old | Should -BeTrue
      Test-Holds 'SmtpSvc/3' $Old | Should -BeTrue
    }

    It 'restores the password from AWSCURRENT when WMI does not return it' {
      $global:FakeIis.ReturnsPassword = $false
      $global:FakeIis.Faults['SmtpSvc/1'] = 'fail-start'
      $run = Invoke-IisStep @{ VersionId = $New.versionId }
      $run.ExitCode | Should -Be 1
      (Get-ResultFields $run).rollback | Should -Be 'done'
      Test-Holds 'SmtpSvc/1' $Old | Should -BeTrue
    }

    It 'reports rollback=failed, naming the server, when the previous password cannot be known' {
      $global:FakeIis.ReturnsPassword = $false
      $global:FakeIis.Store['SmtpSvc/1'].RouteUserName = 'AKIAEXAMPLENOTINUSE0'
      $global:FakeIis.Faults['SmtpSvc/1'] = 'fail-start'
      $run = Invoke-IisStep @{ VersionId = $New.versionId; IisVirtualServers = '1' }
      $run.ExitCode | Should -Be 1
      (Get-ResultFields $run).rollback | Should -Be 'failed'
      $run.Stderr | Should -Match 'restoring SmtpSvc/1 failed: the previous password is unknown'
    }

    It 'changes nothing when the relay cannot be reached for the AUTH test' {
      $global:FakeIis.Store['SmtpSvc/1'].RemoteSmtpPort = 1
      $before = Get-FakeIisSnapshot
      $run = Invoke-IisStep @{ VersionId = $New.versionId }
      $run.ExitCode | Should -Be 1
      (Get-ResultFields $run).reason | Should -Be 'relay-unreachable'
      $run.Stderr | Should -Match 'could not test the new credential against localhost:1'
      Assert-NothingChanged $before
    }

    It 'fails when WMI lists no SMTP virtual server at all' {
      $global:FakeIis.Store.Clear()
      $run = Invoke-IisStep @{ VersionId = $New.versionId }
      $run.ExitCode | Should -Be 1
      (Get-ResultFields $run).reason | Should -Be 'no-iis'
      $run.Stderr | Should -Match 'no SMTP virtual server found through WMI'
    }

    It 'changes nothing when a listed virtual server does not exist' {
      $run = Invoke-IisStep @{ VersionId = $New.versionId; IisVirtualServers = '1,7' }
      $run.ExitCode | Should -Be 1
      (Get-ResultFields $run).reason | Should -Be 'no-server'
      $run.Stderr | Should -Match 'SmtpSvc/7 does not exist'
      Assert-NothingChanged $before
    }

    It 'changes nothing when a listed server relays to another smart host' {
      $run = Invoke-IisStep @{ VersionId = $New.versionId; IisVirtualServers = '1,2' }
      $run.ExitCode | Should -Be 1
      (Get-ResultFields $run).reason | Should -Be 'endpoint-mismatch'
      Assert-NothingChanged $before
    }

    It 'changes nothing when the secret has no password field, and names the field' {
      $run = Invoke-IisStep @{ VersionId = $Fixture.versions.noPassword.versionId }
      $run.ExitCode | Should -Be 1
      (Get-ResultFields $run).reason | Should -Be 'secret-shape'
      $run.Stderr | Should -Match 'secret field password is missing'
      Assert-NothingChanged $before
    }

    It 'changes nothing when the version cannot be read' {
      $run = Invoke-IisStep @{ VersionId = '0123456789abcdef0123456789abcdef' }
      $run.ExitCode | Should -Be 1
      (Get-ResultFields $run).reason | Should -Be 'fetch-secret'
      $run.Stderr | Should -Match 'could not read version 0123456789abcdef0123456789abcdef'
      Assert-NothingChanged $before
    }

    It 'fails when the SMTP service is not installed' {
      $global:FakeIis.ServiceInstalled = $false
      $calls = Get-AwsCallCount
      $run = Invoke-IisStep @{ VersionId = $New.versionId }
      $run.ExitCode | Should -Be 1
      (Get-ResultFields $run).reason | Should -Be 'no-iis'
      Get-AwsCallCount | Should -Be $calls -Because 'nothing is fetched on a host without IIS SMTP'
    }
  }

  Context 'strict mode' {
    It 'turns an error raised by strict mode after the swap into a failure with rollback' {
      $global:FakeIis.OnRestart = { $null = $thisVariableWasNeverSet }
      $run = Invoke-IisStep @{ VersionId = $New.versionId }
      $run.ExitCode | Should -Be 1
      (Get-ResultFields $run).rollback | Should -Be 'done'
      $run.Stderr | Should -Match 'thisVariableWasNeverSet'
      Test-Holds 'SmtpSvc/1' $Old | Should -BeTrue
      Test-Holds 'SmtpSvc/3' $Old | Should -BeTrue
    }

    It 'reads WMI objects whose properties are null without a strict-mode error' {
      $global:FakeIis.Store['SmtpSvc/2'].SmartHost = $null
      $global:FakeIis.Store['SmtpSvc/2'].RouteUserName = $null
      $global:FakeIis.ReturnsPassword = $false
      $run = Invoke-IisStep @{ VersionId = $New.versionId }
      $run.ExitCode | Should -Be 0
      Test-Holds 'SmtpSvc/1' $New | Should -BeTrue
    }

    It 'refuses a secret whose JSON is not an object, <name>' -TestCases @(
      @{ name = 'a string'; version = 'jsonString' },
      @{ name = 'an array'; version = 'jsonArray' },
      @{ name = 'not JSON'; version = 'notJson' }
    ) {
      $run = Invoke-IisStep @{ VersionId = $Fixture.versions.$version.versionId }
      $run.ExitCode | Should -Be 1
      (Get-ResultFields $run).reason | Should -Be 'secret-shape'
      Assert-NothingChanged $before
    }
  }

  Context 'injection' {
    BeforeAll {
      $Canary = Join-Path $Fixture.workDir 'injected'
      $Payloads = @(
        "x'; New-Item -ItemType File '$Canary'; '",
        "`$(New-Item -ItemType File '$Canary')",
        "x`nNew-Item -ItemType File '$Canary'",
        'x`"; New-Item -ItemType File ' + $Canary,
        "1 -or 1; New-Item -ItemType File '$Canary'"
      )
    }

    It 'refuses payload <index> in <name> before reading the secret or touching IIS' -ForEach @(
      foreach ($name in @('SecretArn', 'VersionId', 'IisVirtualServers', 'VerifyRelayAuth')) {
        foreach ($i in 0..4) { @{ name = $name; index = $i } }
      }
    ) {
      $parameters = @{ VersionId = $New.versionId }
      $parameters[$name] = $Payloads[$index]
      $calls = Get-AwsCallCount
      $run = Invoke-IisStep $parameters -BypassAgent
      $run.ExitCode | Should -Be 1
      (Get-ResultFields $run).reason | Should -Be 'bad-parameter'
      $run.Stderr | Should -Match "parameter $name "
      Test-Path -LiteralPath $Canary | Should -BeFalse
      Get-AwsCallCount | Should -Be $calls
      Assert-NothingChanged $before
    }
  }

  Context 'a disaster-recovery region' {
    It "installs the DR region's password on servers whose smart host is the DR endpoint, verified there" {
      $dr = $Fixture.versions.dr
      $run = Invoke-IisStep @{ VersionId = $dr.versionId }
      $run.Stderr | Should -BeNullOrEmpty
      $run.ExitCode | Should -Be 0
      $run.ResultLine | Should -BeExactly "ses-smtp-rotation-result status=updated mta=iis key=$($dr.masked) servers=SmtpSvc/1,SmtpSvc/3 changed=SmtpSvc/1,SmtpSvc/3 auth=verified"
      Test-Holds 'SmtpSvc/1' $dr | Should -BeTrue
      Test-Holds 'SmtpSvc/3' $dr | Should -BeTrue
      Assert-OnlyCredentialsChanged $before @('SmtpSvc/1', 'SmtpSvc/3')
    }

    It 'gives each server the password of its own smart host when one relays to the primary, others to the DR endpoint' {
      $global:FakeIis.Store['SmtpSvc/2'].SmartHost = $Fixture.primaryEndpoint
      $run = Invoke-IisStep @{ VersionId = $Fixture.versions.dr.versionId; VerifyRelayAuth = 'no' }
      $run.ExitCode | Should -Be 0
      (Get-ResultFields $run).servers | Should -Be 'SmtpSvc/1,SmtpSvc/2,SmtpSvc/3'
      Test-Holds 'SmtpSvc/2' $Fixture.drPrimary | Should -BeTrue
      Test-Holds 'SmtpSvc/1' $Fixture.versions.dr | Should -BeTrue
      Test-Holds 'SmtpSvc/3' $Fixture.versions.dr | Should -BeTrue
    }

    It 'changes nothing and names every endpoint of the secret when no server relays to one of them' {
      $global:FakeIis.Store.Remove('SmtpSvc/1')
      $global:FakeIis.Store.Remove('SmtpSvc/3')
      $before = Get-FakeIisSnapshot
      $run = Invoke-IisStep @{ VersionId = $Fixture.versions.dr.versionId }
      (Get-ResultFields $run).reason | Should -Be 'endpoint-mismatch'
      $run.Stderr | Should -Match ([regex]::Escape("smart host $($Fixture.primaryEndpoint) or localhost"))
      Assert-NothingChanged $before
    }

    It 'changes nothing when an additional region has no valid password, and names the field' {
      $run = Invoke-IisStep @{ VersionId = $Fixture.versions.drBadPassword.versionId }
      (Get-ResultFields $run).reason | Should -Be 'secret-shape'
      $run.Stderr | Should -Match 'additionalRegions\[0\]\.password'
      Assert-NothingChanged $before
    }
  }

  Context 'secrets in output' {
    It 'never writes a password to any of the six streams, stdout or stderr, in any scenario' {
      $global:IisStepOutputs.Count | Should -BeGreaterThan 30
      foreach ($output in $global:IisStepOutputs) { Test-ContainsSecret $output | Should -BeFalse }
    }
  }
}
