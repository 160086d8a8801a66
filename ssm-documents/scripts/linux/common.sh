#!/bin/bash
# ses-smtp-rotation, Linux step: installs one version of the SES SMTP credential into the host's mail server
# (Postfix, Exim or Sendmail; parameter Mta, default auto = the one installed).
#
# This step is assembled from ssm-documents/scripts/linux/: common.sh (this part: parameters, contract, result line,
# rollback journal, secret fetch, relay AUTH test), postfix.sh, exim.sh, sendmail.sh (one set of functions per MTA)
# and main.sh (the sequence). Parameters arrive as SSM_* environment variables (interpolationType ENV_VAR).
#
# WHAT A CUSTOMIZATION MUST KEEP (lint-document and the repository's tests check what they can):
#  1. set -Eeuo pipefail, no tracing (set -x prints every value, the password too), umask 077.
#  2. Parameters read from $SSM_<Name>; only the fallback lines below use the agent's text substitution.
#  3. MARKER, ARN_PATTERN, VERSION_PATTERN exactly as src/core/document-contract.ts defines them.
#  4. One result line, printed only by result(), last on stdout: "<MARKER> status=updated|unchanged|failed mta=<mta>
#     key=<masked key id> ...", reason=<word> and rollback=<word> on failure. The fleet push reads it.
#  5. Exit 0 only for updated/unchanged, 1 for every failure through fail(); never 3010/194 (the agent reboots).
#  6. The password lives in shell variables and reaches files or pipes only through builtins (printf): never argv,
#     never stdout/stderr, never a file outside the MTA's own credential file and this run's private work directory.
#  7. The order: prerequisites, fetch, test AUTH against the relay, build beside the live files, swap (through
#     swap_in, which journals the rollback), reload, verify again; any failure after the swap rolls back.
# Add your own checks as functions and call them from main (e.g. a second relay: see the README's walk-through).
set -Eeuo pipefail
set +x
umask 077
# A write to a relay connection that already closed must fail as an error, not kill the script silently.
trap '' PIPE
export LC_ALL=C AWS_PAGER=''

# Fallback for agents older than 3.3.2746.0, which only substitute text. Safe because every allowedPattern of this
# document admits no quote, backslash, dollar sign, backtick or white space.
[ -n "${SSM_SecretArn:-}" ] || SSM_SecretArn='{{ SecretArn }}'
[ -n "${SSM_VersionId:-}" ] || SSM_VersionId='{{ VersionId }}'
[ -n "${SSM_Mta:-}" ] || SSM_Mta='{{ Mta }}'
[ -n "${SSM_PostfixConfigDir:-}" ] || SSM_PostfixConfigDir='{{ PostfixConfigDir }}'
[ -n "${SSM_EximConfig:-}" ] || SSM_EximConfig='{{ EximConfig }}'
[ -n "${SSM_SendmailConfig:-}" ] || SSM_SendmailConfig='{{ SendmailConfig }}'
[ -n "${SSM_VerifyRelayAuth:-}" ] || SSM_VerifyRelayAuth='{{ VerifyRelayAuth }}'

# The contract with the fleet push (a test checks these against src/core/document-contract.ts).
MARKER='ses-smtp-rotation-result'
ARN_PATTERN='^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]+$'
VERSION_PATTERN='^[A-Za-z0-9-]{32,64}$'
HOST_PATTERN='^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$'
PATH_PATTERN='^/[A-Za-z0-9._/-]{1,200}$'

# The run's state. MTA-specific functions set RELAY_* before the AUTH test and MTA_RUNNING for the rollback.
MTA='-'
KEY_MASKED='-'
WORK_DIR=''
MTA_RUNNING='no'
RELAY_DESC='' RELAY_HOST='' RELAY_PORT='' RELAY_TLS='starttls' RELAY_CA_FILE='' RELAY_CA_PATH='' RELAY_HELO='localhost'
SMTP_USER='' SMTP_PASSWORD='' SECRET_ENDPOINT='' KEY_REGION=''
AUTH_RESULT='skipped'
RESULT_PRINTED='no'
# The rollback journal: each live file swap_in replaced, and its rollback link ('' if there was no live file).
SWAP_LIVE=()
SWAP_SAVED=()
TEMP_FILES=()

# Prints the one machine-readable result line (last line of the output).
result() {
  printf '%s %s\n' "$MARKER" "$*"
  RESULT_PRINTED='yes'
}

# Makes a temporary file beside $1 (same file system, so the final rename is atomic) and registers it for cleanup.
temp_beside() {
  REPLY=$(mktemp "${1%/*}/.${1##*/}.ses-smtp-rotation.XXXXXX")
  TEMP_FILES+=("$REPLY")
}

# Renames the new file $1 over the live file $2, keeping a hard link to the old one until the run ends.
swap_in() {
  local new=$1 live=$2 saved=''
  if [ -e "$live" ]; then
    saved="$live.ses-smtp-rotation-rollback"
    ln -f "$live" "$saved"
  fi
  SWAP_LIVE+=("$live")
  SWAP_SAVED+=("$saved")
  mv -f "$new" "$live"
}

# Undoes every swap_in of this run, newest first. Returns non-zero if a file could not be put back.
undo_swaps() {
  local i ok=0 live saved
  for ((i = ${#SWAP_LIVE[@]} - 1; i >= 0; i--)); do
    live=${SWAP_LIVE[i]}
    saved=${SWAP_SAVED[i]}
    if [ -z "$saved" ]; then
      rm -f "$live" || ok=1
    elif [ "$saved" -ef "$live" ]; then
      rm -f "$saved" || ok=1 # the rename never happened: both names are still the old file
    else
      mv -f "$saved" "$live" || ok=1
    fi
  done
  SWAP_LIVE=()
  SWAP_SAVED=()
  return "$ok"
}

# Puts the previous files back and makes the MTA read them again. Returns non-zero if that fails.
rollback() {
  undo_swaps || return 1
  if [ "$MTA_RUNNING" = yes ]; then "${MTA}_reload" >/dev/null 2>&1 || return 1; fi
}

# Removes this run's temporary files and rollback links (after success, or after a rollback).
cleanup() {
  local f
  for f in ${TEMP_FILES[@]+"${TEMP_FILES[@]}"}; do rm -f "$f" "$f.db"; done
  TEMP_FILES=()
  for f in ${SWAP_SAVED[@]+"${SWAP_SAVED[@]}"}; do [ -z "$f" ] || rm -f "$f"; done
  SWAP_LIVE=()
  SWAP_SAVED=()
  if [ -n "$WORK_DIR" ]; then rm -rf "$WORK_DIR"; fi
  WORK_DIR=''
}

# Reports a failure, rolls back what this run swapped in, and exits 1. $1 is the reason word of the result line.
fail() {
  local reason=$1 how='not-needed'
  shift
  printf 'error: %s\n' "$*" >&2
  if [ "${#SWAP_LIVE[@]}" -gt 0 ]; then
    local kept=("${SWAP_SAVED[@]}")
    if rollback; then how='done'; else
      how='failed'
      printf 'error: restoring the previous files or reloading %s failed: a previous file not yet restored is kept as' \
        "$MTA" >&2
      printf ' %s' "${kept[@]}" >&2
      printf '; restore it by hand and reload\n' >&2
      SWAP_SAVED=()
    fi
  fi
  cleanup
  result "status=failed mta=$MTA reason=$reason rollback=$how key=$KEY_MASKED"
  exit 1
}

# An unexpected command failure under set -e: still roll back and report. FAILED_AT holds the command's text as
# written in this script (unexpanded), never the values of its variables.
on_exit() {
  local code=$?
  trap - EXIT
  if [ "$RESULT_PRINTED" = no ]; then
    fail unexpected "unexpected failure (exit $code) at ${FAILED_AT:-an unknown line} before the update completed"
  fi
  cleanup
}
FAILED_AT=''
trap 'FAILED_AT="line $LINENO: $BASH_COMMAND"' ERR
trap on_exit EXIT

# Checks the parameters every MTA uses.
check_parameters() {
  [[ $SSM_SecretArn =~ $ARN_PATTERN ]] || fail bad-parameter "parameter SecretArn is not a Secrets Manager secret ARN"
  [[ $SSM_VersionId =~ $VERSION_PATTERN ]] || fail bad-parameter "parameter VersionId is not a secret version id"
  [[ $SSM_Mta =~ ^(auto|postfix|exim|sendmail)$ ]] || fail bad-parameter "parameter Mta must be auto, postfix, exim or sendmail"
  [[ $SSM_VerifyRelayAuth =~ ^(auto|yes|no)$ ]] || fail bad-parameter "parameter VerifyRelayAuth must be auto, yes or no"
  [[ $SSM_PostfixConfigDir = default || $SSM_PostfixConfigDir =~ $PATH_PATTERN ]] ||
    fail bad-parameter "parameter PostfixConfigDir must be default or an absolute path"
  [[ $SSM_EximConfig = default || $SSM_EximConfig =~ $PATH_PATTERN ]] ||
    fail bad-parameter "parameter EximConfig must be default or an absolute path"
  [[ $SSM_SendmailConfig =~ $PATH_PATTERN ]] || fail bad-parameter "parameter SendmailConfig must be an absolute path"
  command -v flock >/dev/null 2>&1 || fail missing-tool "flock (util-linux) is not installed: it keeps two updates from interleaving"
  command -v aws >/dev/null 2>&1 || fail missing-tool "the AWS CLI (aws) is not on PATH: install AWS CLI v2 so the host can read the secret"
}

# One update at a time per directory (the directory itself is the lock: no lock file is left behind).
take_lock() {
  exec 8<"$1"
  flock -w 120 8 || fail busy "another update of $1 is still running after 120 s"
}

# Reads the secret version with the host's own role into SMTP_USER, SMTP_PASSWORD and SECRET_ENDPOINT.
fetch_secret() {
  local region secret_json
  region=${SSM_SecretArn#arn:*:secretsmanager:}
  region=${region%%:*}
  if ! secret_json=$(aws secretsmanager get-secret-value --secret-id "$SSM_SecretArn" --version-id "$SSM_VersionId" \
    --region "$region" --query SecretString --output text 2>"$WORK_DIR/aws.err"); then
    sed -n '1,5p' "$WORK_DIR/aws.err" >&2
    fail fetch-secret "could not read version $SSM_VersionId of $SSM_SecretArn: the host's role needs" \
      "secretsmanager:GetSecretValue on the secret (and kms:Decrypt on its key if it uses a customer managed key)"
  fi
  # The rotation writes flat JSON whose values need no escapes; a value in any other form is refused, never guessed.
  # The primary fields come before "additionalRegions" (the rotation writes it last): read them from that part only.
  local primary_json=${secret_json%%\"additionalRegions\"*} regional_json=''
  [ "$primary_json" = "$secret_json" ] || regional_json=${secret_json#*\"additionalRegions\"}
  json_string() {
    local re="\"$1\"[[:space:]]*:[[:space:]]*\"([^\"\\\\]*)\""
    if [[ $primary_json =~ $re ]]; then REPLY=${BASH_REMATCH[1]}; else REPLY=''; fi
  }
  json_string username
  SMTP_USER=$REPLY
  json_string password
  SMTP_PASSWORD=$REPLY
  json_string endpoint
  SECRET_ENDPOINT=$REPLY
  json_string region
  KEY_REGION=$REPLY
  secret_json=''
  primary_json=''
  [[ $SMTP_USER =~ ^AKIA[A-Z0-9]{12,124}$ ]] || fail secret-shape "secret field username is missing or not an IAM access key id (AKIA...)"
  KEY_MASKED="${SMTP_USER:0:4}…${SMTP_USER: -4}"
  [[ $SMTP_PASSWORD =~ ^B[A-Za-z0-9+/]{43}$ ]] || fail secret-shape "secret field password is missing or not a SigV4 SES SMTP password (44 characters starting with B)"
  [[ $SECRET_ENDPOINT =~ $HOST_PATTERN ]] || fail secret-shape "secret field endpoint is missing or not a host name"
  select_region_password "$regional_json"
  regional_json=''
}

# A relay whose relay host is an additional (disaster-recovery) region's endpoint installs that region's password:
# SES SMTP passwords are region-bound. The relay host decides (no parameter that could disagree with it); a host
# that is neither the primary endpoint nor an additional one changes nothing.
select_region_password() {
  local relay=${RELAY_HOST,,} known="$SECRET_ENDPOINT" re
  if [ "$relay" != "$SECRET_ENDPOINT" ] && [ -n "$1" ] && [[ $relay =~ $HOST_PATTERN ]]; then
    # Entries are {"region":"…","endpoint":"…","password":"…"} in this order; the host's dots are escaped.
    re="\"region\"[[:space:]]*:[[:space:]]*\"([a-z0-9-]+)\"[[:space:]]*,[[:space:]]*\"endpoint\"[[:space:]]*:[[:space:]]*\"${relay//./\\.}\"[[:space:]]*,[[:space:]]*\"password\"[[:space:]]*:[[:space:]]*\"([^\"\\\\]*)\""
    if [[ $1 =~ $re ]]; then
      KEY_REGION=${BASH_REMATCH[1]}
      SMTP_PASSWORD=${BASH_REMATCH[2]}
      SECRET_ENDPOINT=$relay
      [[ $SMTP_PASSWORD =~ ^B[A-Za-z0-9+/]{43}$ ]] ||
        fail secret-shape "secret field additionalRegions ($KEY_REGION) has no SigV4 SES SMTP password (44 characters starting with B)"
      printf 'relay host %s is the endpoint of additional region %s: installing its password\n' "$relay" "$KEY_REGION"
      return 0
    fi
    additional_endpoints "$1"
    known="$known or an additional region's endpoint ($REPLY)"
  fi
  [ "$relay" = "$SECRET_ENDPOINT" ] ||
    fail endpoint-mismatch "${RELAY_DESC:-the relay is $RELAY_HOST} but the secret is for $known: fix the relay or the secret's endpoint; nothing changed"
}

# The endpoints of the additional regions, comma-separated, for the mismatch message (host names are not secret).
additional_endpoints() {
  local rest=$1 list='' re='"endpoint"[[:space:]]*:[[:space:]]*"([a-z0-9.-]+)"'
  while [[ $rest =~ $re ]]; do
    list+="${list:+, }${BASH_REMATCH[1]}"
    rest=${rest#*"${BASH_REMATCH[0]}"}
  done
  REPLY=$list
}

# Speaks SMTP to RELAY_HOST:RELAY_PORT through openssl s_client (certificate and host name verified) over two FIFOs
# in the private work directory; the AUTH line reaches openssl through a builtin, never argv. Returns 0 accepted,
# 1 rejected, 2 could not talk to the relay. Sets RELAY_REPLY to the relay's last reply (no secret in it).
relay_auth_check() {
  local ca_opts=() tls_opts=(-starttls smtp) reply_code='' line auth_plain tls_pid verdict=2
  if [ -n "$RELAY_CA_FILE" ]; then ca_opts=(-CAfile "$RELAY_CA_FILE"); elif [ -n "$RELAY_CA_PATH" ]; then ca_opts=(-CApath "$RELAY_CA_PATH"); fi
  if [ "$RELAY_TLS" = tls ]; then tls_opts=(); fi
  mkfifo "$WORK_DIR/to-relay" "$WORK_DIR/from-relay" || return 2
  timeout 60 openssl s_client -quiet -connect "$RELAY_HOST:$RELAY_PORT" -servername "$RELAY_HOST" -verify_return_error \
    -verify_hostname "$RELAY_HOST" ${ca_opts[@]+"${ca_opts[@]}"} ${tls_opts[@]+"${tls_opts[@]}"} \
    <"$WORK_DIR/to-relay" >"$WORK_DIR/from-relay" 2>"$WORK_DIR/tls.err" &
  tls_pid=$!
  exec 5>"$WORK_DIR/to-relay" 6<"$WORK_DIR/from-relay"
  smtp_reply() {
    while IFS= read -r -t 30 -u 6 line; do
      line=${line%$'\r'}
      reply_code=${line:0:3}
      RELAY_REPLY=${line:0:120}
      [ "${line:3:1}" = - ] || return 0
    done
    return 1
  }
  smtp_send() { printf '%s\r\n' "$1" >&5; }
  {
    if [ "$RELAY_TLS" = tls ]; then smtp_reply; fi &&
      smtp_send "EHLO $RELAY_HELO" && smtp_reply && [ "$reply_code" = 250 ] &&
      auth_plain=$(printf '\0%s\0%s' "$SMTP_USER" "$SMTP_PASSWORD" | base64 -w 0) &&
      smtp_send "AUTH PLAIN $auth_plain" && smtp_reply
  } 2>/dev/null && case $reply_code in
    235) verdict=0 ;;
    535 | 534 | 454) verdict=1 ;;
  esac
  auth_plain=''
  smtp_send QUIT 2>/dev/null || true
  exec 5>&- 6<&-
  kill "$tls_pid" 2>/dev/null || true
  wait "$tls_pid" 2>/dev/null || true
  return "$verdict"
}

# Tests the new credential against the relay before the MTA uses it (VerifyRelayAuth); sets AUTH_RESULT.
verify_relay_auth() {
  local check=0
  RELAY_REPLY=''
  [ "$SSM_VerifyRelayAuth" != no ] || return 0
  if ! command -v openssl >/dev/null 2>&1 || ! command -v base64 >/dev/null 2>&1 || ! command -v timeout >/dev/null 2>&1; then
    [ "$SSM_VerifyRelayAuth" != yes ] || fail missing-tool "VerifyRelayAuth=yes needs openssl, base64 and timeout on this host"
    return 0
  fi
  relay_auth_check || check=$?
  case $check in
    0) AUTH_RESULT='verified' ;;
    1) fail relay-rejected "$RELAY_HOST:$RELAY_PORT rejected the new credential (SMTP AUTH: $RELAY_REPLY): the key may" \
      "not be active yet, or the password was derived for another region; nothing changed on this host" ;;
    *)
      grep -iE 'error|refused|unable|timed out|no route' "$WORK_DIR/tls.err" | head -n 5 >&2 || true
      if [ -n "$RELAY_REPLY" ]; then printf 'error: last reply from the relay: %s\n' "$RELAY_REPLY" >&2; fi
      fail relay-unreachable "could not complete an SMTP AUTH test with $RELAY_HOST:$RELAY_PORT (connection or TLS" \
        "verification failed, see above); nothing changed. Set VerifyRelayAuth=no only if this host cannot reach the relay directly"
      ;;
  esac
}

# Copies the owner and group of $1 (if it exists) onto $2 and sets mode $3: the MTA must still be able to read it.
copy_owner() {
  if [ -e "$1" ]; then chown --reference="$1" "$2"; fi
  chmod "$3" "$2"
}
