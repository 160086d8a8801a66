# Parses PowerShell files with PowerShell's own parser and prints one JSON report: parse errors for every file, and,
# for the files that Windows PowerShell 5.1 runs (-WindowsPowerShell), the syntax it does not have (PowerShell 7 only).
param(
  [string[]]$Path = @(),
  [string[]]$WindowsPowerShell = @()
)
$ErrorActionPreference = 'Stop'
# pwsh -File passes "a,b" as one string: split lists here.
$Path = @($Path | ForEach-Object { $_ -split ',' } | Where-Object { $_ })
$WindowsPowerShell = @($WindowsPowerShell | ForEach-Object { $_ -split ',' } | Where-Object { $_ })

# PowerShell 7 syntax: ?? ??= ?. ?[ (tokens), a ? b : c and && / || (AST), ForEach-Object -Parallel, clean blocks.
function Find-Ps7Syntax($Ast, $Tokens) {
  $found = @()
  $ps7Tokens = @('QuestionQuestion', 'QuestionQuestionEquals', 'QuestionDot', 'QuestionLBracket', 'AndAnd', 'OrOr')
  foreach ($token in $Tokens) {
    if ($ps7Tokens -contains [string]$token.Kind) { $found += @{ line = $token.Extent.StartLineNumber; message = "PowerShell 7 operator $($token.Text)" } }
  }
  $ps7Asts = $Ast.FindAll({
      param($node)
      $type = $node.GetType().Name
      if ($type -eq 'TernaryExpressionAst' -or $type -eq 'PipelineChainAst') { return $true }
      if ($type -eq 'NamedBlockAst' -and [string]$node.BlockKind -eq 'Clean') { return $true }
      if ($type -eq 'CommandAst' -and $node.GetCommandName() -in @('ForEach-Object', '%', 'foreach')) {
        return [bool]($node.CommandElements | Where-Object { $_ -is [System.Management.Automation.Language.CommandParameterAst] -and $_.ParameterName -eq 'Parallel' })
      }
      return $false
    }, $true)
  foreach ($node in $ps7Asts) { $found += @{ line = $node.Extent.StartLineNumber; message = "PowerShell 7 syntax ($($node.GetType().Name)): $($node.Extent.Text.Split("`n")[0])" } }
  return $found
}

$report = foreach ($file in @($Path) + @($WindowsPowerShell)) {
  $tokens = $null
  $errors = $null
  $ast = [System.Management.Automation.Language.Parser]::ParseFile($file, [ref]$tokens, [ref]$errors)
  $problems = @($errors | ForEach-Object { @{ line = $_.Extent.StartLineNumber; message = $_.Message } })
  if ($WindowsPowerShell -contains $file) { $problems += @(Find-Ps7Syntax $ast $tokens) }
  [pscustomobject]@{ file = $file; problems = @($problems) }
}
ConvertTo-Json -InputObject @($report) -Depth 4 -Compress
