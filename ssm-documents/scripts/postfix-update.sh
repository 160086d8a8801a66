#!/bin/bash
# ses-smtp-rotation, Linux step: installs one version of the SES SMTP credential into Postfix.
# Parameters arrive as SSM_* environment variables (interpolationType ENV_VAR, SSM Agent 3.3.2746.0 or later).
# Requires: bash 4, Postfix (postconf, postmap, postfix), flock, the AWS CLI; openssl for the relay AUTH check.
# Never prints the password: it stays in shell variables and reaches files only through builtins (not argv).
set -euo pipefail
set +x
umask 077
# A write to a relay connection that already closed must fail as an error, not kill the script silently.
trap '' PIPE
export LC_ALL=C AWS_PAGER=''

# Fallback for agents older than 3.3.2746.0, which only substitute text. Safe because every allowedPattern of this
# document admits no quote, backslash, dollar sign, backtick or white space.
[ -n "${SSM_SecretArn:-}" ] || SSM_SecretArn='{{ SecretArn }}'
[ -n "${SSM_VersionId:-}" ] || SSM_VersionId='{{ VersionId }}'
[ -n "${SSM_PostfixConfigDir:-}" ] || SSM_PostfixConfigDir='{{ PostfixConfigDir }}'
[ -n "${SSM_VerifyRelayAuth:-}" ] || SSM_VerifyRelayAuth='{{ VerifyRelayAuth }}'

MARKER='ses-smtp-rotation-result'
ARN_PATTERN='^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]+$'
VERSION_PATTERN='^[A-Za-z0-9-]{32,64}$'
HOST_PATTERN='^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$'

work_dir=''
map_dir=''
map_path=''
index_path=''
tmp_src=''
rollback_src=''
rollback_index=''
swapped='no'
had_src='no'
had_index='no'
postfix_running='no'
result_printed='no'
key_masked='-'

# Prints the one machine-readable result line (last line of the output).
result() {
  printf '%s %s\n' "$MARKER" "$*"
  result_printed='yes'
}

# Moves a rollback link back over a live file; if the live file was never replaced, both are one inode.
put_back() {
  if [ "$1" -ef "$2" ]; then rm -f "$1"; else mv -f "$1" "$2"; fi
}

# Puts the previous map pair back (hard links kept for the run) and reloads. Returns non-zero if that fails.
restore_previous() {
  local ok=0
  if [ "$had_index" = yes ]; then put_back "$rollback_index" "$index_path" || ok=1; elif [ -n "$index_path" ]; then rm -f "$index_path" || ok=1; fi
  if [ "$had_src" = yes ]; then put_back "$rollback_src" "$map_path" || ok=1; else rm -f "$map_path" || ok=1; fi
  if [ "$ok" -ne 0 ]; then return 1; fi
  if [ "$postfix_running" = yes ]; then postfix reload >/dev/null 2>&1 || ok=1; fi
  swapped='no'
  return "$ok"
}

# Removes this run's temporary files: the new map being built and the rollback links.
cleanup() {
  if [ -n "$tmp_src" ]; then rm -f "$tmp_src" "$tmp_src.db" "$tmp_src.lmdb" "$tmp_src.cdb"; fi
  if [ -n "$rollback_src" ]; then rm -f "$rollback_src" "$rollback_index"; fi
  if [ -n "$work_dir" ]; then rm -rf "$work_dir"; fi
}

# Reports a failure, restores the previous map if it was already replaced, and exits 1.
fail() {
  local reason=$1
  shift
  printf 'error: %s\n' "$*" >&2
  local rollback='not-needed'
  if [ "$swapped" = yes ]; then
    if restore_previous; then rollback='done'; else
      rollback='failed'
      printf 'error: restoring the previous %s failed: the previous files are kept as %s*; restore them by hand\n' \
        "$map_path" "$rollback_src" >&2
      rollback_src=''
    fi
  fi
  cleanup
  result "status=failed mta=postfix reason=$reason rollback=$rollback key=$key_masked"
  exit 1
}

on_exit() {
  local code=$?
  trap - EXIT
  if [ "$result_printed" = no ]; then
    # An unexpected command failure under set -e: still restore and report. failed_at holds the command's text
    # as written in this script (unexpanded), never the values of its variables.
    fail unexpected "unexpected failure (exit $code) at ${failed_at:-an unknown line} before the update completed"
  fi
  cleanup
}
failed_at=''
trap 'failed_at="line $LINENO: $BASH_COMMAND"' ERR
trap on_exit EXIT

# --- 1. Postfix present, parameters valid -------------------------------------------------------------------
for tool in postconf postmap postfix; do
  command -v "$tool" >/dev/null 2>&1 ||
    fail no-postfix "Postfix is not installed on this host ($tool not found on PATH): install and configure Postfix" \
      "for SES (relayhost, smtp_sasl_password_maps), or remove this host from the rotation's target tag"
done
[[ $SSM_SecretArn =~ $ARN_PATTERN ]] || fail bad-parameter "parameter SecretArn is not a Secrets Manager secret ARN"
[[ $SSM_VersionId =~ $VERSION_PATTERN ]] || fail bad-parameter "parameter VersionId is not a secret version id"
[[ $SSM_VerifyRelayAuth =~ ^(auto|yes|no)$ ]] || fail bad-parameter "parameter VerifyRelayAuth must be auto, yes or no"
if [ "$SSM_PostfixConfigDir" != default ]; then
  [[ $SSM_PostfixConfigDir =~ ^/[A-Za-z0-9._/-]{1,200}$ ]] || fail bad-parameter "parameter PostfixConfigDir must be default or an absolute path"
  [ -f "$SSM_PostfixConfigDir/main.cf" ] || fail postfix-config "PostfixConfigDir $SSM_PostfixConfigDir has no main.cf"
  export MAIL_CONFIG="$SSM_PostfixConfigDir"
fi
command -v flock >/dev/null 2>&1 || fail missing-tool "flock (util-linux) is not installed: it keeps two updates from interleaving"
command -v aws >/dev/null 2>&1 || fail missing-tool "the AWS CLI (aws) is not on PATH: install AWS CLI v2 so the host can read the secret"

# --- 2. Postfix settings -------------------------------------------------------------------------------------
pc() { postconf -xh "$1" 2>/dev/null; }
postconf -n >/dev/null 2>&1 ||
  fail postfix-config "postconf cannot read the Postfix configuration (${MAIL_CONFIG:-default directory}): run postconf -n to see why"
relayhost=$(pc relayhost) || fail postfix-config "postconf cannot read relayhost"
sasl_enabled=$(pc smtp_sasl_auth_enable) || fail postfix-config "postconf cannot read smtp_sasl_auth_enable"
maps=$(pc smtp_sasl_password_maps) || fail postfix-config "postconf cannot read smtp_sasl_password_maps"
wrappermode=$(pc smtp_tls_wrappermode) || wrappermode='no'
[ -n "$relayhost" ] || fail postfix-config "Postfix has no relayhost: set relayhost = [email-smtp.<region>.amazonaws.com]:587"
relay_re='^(\[([^]]+)\]|([^],:[ ]+))(:([0-9]{1,5}))?$'
[[ $relayhost =~ $relay_re ]] ||
  fail postfix-config "relayhost '$relayhost' is not one [host]:port next hop: this document supports exactly one relay"
relay_host=${BASH_REMATCH[2]:-${BASH_REMATCH[3]}}
relay_port=${BASH_REMATCH[5]:-25}
[ "$sasl_enabled" = yes ] || fail postfix-config "smtp_sasl_auth_enable is not yes: Postfix would not log in to SES; set it (see the SES Postfix guide)"
[[ $maps =~ ^(hash|btree|lmdb|cdb|texthash):(/[^[:space:],]+)$ ]] ||
  fail postfix-config "smtp_sasl_password_maps is '$maps': expected one map of type hash, btree, lmdb, cdb or texthash with an absolute path"
map_type=${BASH_REMATCH[1]}
map_path=${BASH_REMATCH[2]}
map_dir=${map_path%/*}
case $map_type in
  hash | btree) index_path="$map_path.db" ;;
  lmdb) index_path="$map_path.lmdb" ;;
  cdb) index_path="$map_path.cdb" ;;
  texthash) index_path='' ;;
esac
[ -d "$map_dir" ] || fail postfix-config "the directory of smtp_sasl_password_maps ($map_dir) does not exist"
if postfix status >/dev/null 2>&1; then postfix_running='yes'; fi

# One update at a time per map directory (the directory itself is the lock: no lock file is left behind).
exec 8<"$map_dir"
flock -w 120 8 || fail busy "another update of $map_dir is still running after 120 s"

# --- 3. Fetch the secret version with the host's own role ----------------------------------------------------
region=${SSM_SecretArn#arn:*:secretsmanager:}
region=${region%%:*}
work_dir=$(mktemp -d)
if ! secret_json=$(aws secretsmanager get-secret-value --secret-id "$SSM_SecretArn" --version-id "$SSM_VersionId" \
  --region "$region" --query SecretString --output text 2>"$work_dir/aws.err"); then
  sed -n '1,5p' "$work_dir/aws.err" >&2
  fail fetch-secret "could not read version $SSM_VersionId of $SSM_SecretArn: the host's role needs" \
    "secretsmanager:GetSecretValue on the secret (and kms:Decrypt on its key if it uses a customer managed key)"
fi
# The rotation writes flat JSON whose values need no escapes; a value in any other form is refused, never guessed.
json_string() {
  local re="\"$1\"[[:space:]]*:[[:space:]]*\"([^\"\\\\]*)\""
  if [[ $secret_json =~ $re ]]; then REPLY=${BASH_REMATCH[1]}; else REPLY=''; fi
}
json_string username
smtp_user=$REPLY
json_string password
smtp_password=$REPLY
json_string endpoint
secret_endpoint=$REPLY
secret_json=''
[[ $smtp_user =~ ^AKIA[A-Z0-9]{12,124}$ ]] || fail secret-shape "secret field username is missing or not an IAM access key id (AKIA...)"
key_masked="${smtp_user:0:4}…${smtp_user: -4}"
[[ $smtp_password =~ ^B[A-Za-z0-9+/]{43}$ ]] || fail secret-shape "secret field password is missing or not a SigV4 SES SMTP password (44 characters starting with B)"
[[ $secret_endpoint =~ $HOST_PATTERN ]] || fail secret-shape "secret field endpoint is missing or not a host name"
[ "${relay_host,,}" = "$secret_endpoint" ] ||
  fail endpoint-mismatch "relayhost is $relayhost but the secret is for $secret_endpoint: fix relayhost or the secret's endpoint; nothing changed"
new_cred="$smtp_user:$smtp_password"

# --- 4. Nothing to do if the live map already holds this credential -------------------------------------------
if current_cred=$(postmap -q "$relayhost" "$map_type:$map_path" 2>/dev/null) && [ "$current_cred" = "$new_cred" ]; then
  cleanup
  result "status=unchanged mta=postfix key=$key_masked relayhost=$relayhost map=$map_type"
  exit 0
fi
current_cred=''

# --- 5. Check the relay accepts the new credential before Postfix uses it -------------------------------------
# Speaks SMTP through openssl s_client (certificate and host name verified) over two FIFOs in the private work
# directory; the AUTH line reaches openssl through a builtin, never argv. Returns 0 accepted, 1 rejected, 2 could not
# talk to the relay.
relay_auth_check() {
  local ca_opts=() tls_opts=(-starttls smtp) reply_code='' line auth_plain_secret ca_file ca_path helo tls_pid
  ca_file=$(pc smtp_tls_CAfile) || ca_file=''
  ca_path=$(pc smtp_tls_CApath) || ca_path=''
  helo=$(pc myhostname) || helo='localhost'
  if [ -n "$ca_file" ]; then ca_opts=(-CAfile "$ca_file"); elif [ -n "$ca_path" ]; then ca_opts=(-CApath "$ca_path"); fi
  if [ "$wrappermode" = yes ]; then tls_opts=(); fi
  mkfifo "$work_dir/to-relay" "$work_dir/from-relay" || return 2
  timeout 60 openssl s_client -quiet -connect "$relay_host:$relay_port" -servername "$relay_host" -verify_return_error \
    -verify_hostname "$relay_host" ${ca_opts[@]+"${ca_opts[@]}"} ${tls_opts[@]+"${tls_opts[@]}"} \
    <"$work_dir/to-relay" >"$work_dir/from-relay" 2>"$work_dir/tls.err" &
  tls_pid=$!
  exec 5>"$work_dir/to-relay" 6<"$work_dir/from-relay"
  smtp_reply() {
    while IFS= read -r -t 30 -u 6 line; do
      line=${line%$'\r'}
      reply_code=${line:0:3}
      relay_reply=${line:0:120}
      [ "${line:3:1}" = - ] || return 0
    done
    return 1
  }
  smtp_send() { printf '%s\r\n' "$1" >&5; }
  local verdict=2
  {
    if [ "$wrappermode" = yes ]; then smtp_reply; fi &&
      smtp_send "EHLO $helo" && smtp_reply && [ "$reply_code" = 250 ] &&
      auth_plain_secret=$(printf '\0%s\0%s' "$smtp_user" "$smtp_password" | base64 -w 0) &&
      smtp_send "AUTH PLAIN $auth_plain_secret" && smtp_reply
  } 2>/dev/null && case $reply_code in
    235) verdict=0 ;;
    535 | 534 | 454) verdict=1 ;;
  esac
  auth_plain_secret=''
  smtp_send QUIT 2>/dev/null || true
  exec 5>&- 6<&-
  kill "$tls_pid" 2>/dev/null || true
  wait "$tls_pid" 2>/dev/null || true
  return "$verdict"
}
auth='skipped'
relay_reply=''
if [ "$SSM_VerifyRelayAuth" != no ]; then
  if command -v openssl >/dev/null 2>&1 && command -v base64 >/dev/null 2>&1 && command -v timeout >/dev/null 2>&1; then
    check=0
    relay_auth_check || check=$?
    case $check in
      0) auth='verified' ;;
      1) fail relay-rejected "$relay_host:$relay_port rejected the new credential (SMTP AUTH: $relay_reply): the key may" \
        "not be active yet, or the password was derived for another region; nothing changed on this host" ;;
      *)
        grep -iE 'error|refused|unable|timed out|no route' "$work_dir/tls.err" | head -n 5 >&2 || true
        if [ -n "$relay_reply" ]; then printf 'error: last reply from the relay: %s\n' "$relay_reply" >&2; fi
        fail relay-unreachable "could not complete an SMTP AUTH test with $relay_host:$relay_port (connection or TLS" \
          "verification failed, see above); nothing changed. Set VerifyRelayAuth=no only if this host cannot reach the relay directly"
        ;;
    esac
  elif [ "$SSM_VerifyRelayAuth" = yes ]; then
    fail missing-tool "VerifyRelayAuth=yes needs openssl, base64 and timeout on this host"
  fi
fi

# --- 6. Build the new map beside the old one: same entries, only the relayhost entry replaced ------------------
tmp_src=$(mktemp "$map_dir/.${map_path##*/}.ses-smtp-rotation.XXXXXX")
replaced='no'
skipping='no'
if [ -f "$map_path" ]; then
  had_src='yes'
  while IFS= read -r line || [ -n "$line" ]; do
    case $line in
      '' | '#'*) skipping='no' ;;
      [[:space:]]*)
        # A line starting with white space continues the entry above it (postmap's syntax).
        if [ "$skipping" = yes ] && [[ $line =~ ^[[:space:]]+[^#[:space:]] ]]; then continue; fi
        ;;
      *)
        key=${line%%[[:space:]]*}
        if [ "${key,,}" = "${relayhost,,}" ]; then
          skipping='yes'
          if [ "$replaced" = no ]; then printf '%s %s\n' "$relayhost" "$new_cred" >>"$tmp_src"; fi
          replaced='yes'
          continue
        fi
        skipping='no'
        ;;
    esac
    printf '%s\n' "$line" >>"$tmp_src"
  done <"$map_path"
fi
if [ "$replaced" = no ]; then printf '%s %s\n' "$relayhost" "$new_cred" >>"$tmp_src"; fi
chmod 600 "$tmp_src"
if [ "$map_type" != texthash ]; then
  postmap "$map_type:$tmp_src" 2>"$work_dir/postmap.err" || {
    sed -n '1,5p' "$work_dir/postmap.err" >&2
    fail postmap "postmap $map_type: could not build the new map; nothing changed"
  }
fi
built_cred=$(postmap -q "$relayhost" "$map_type:$tmp_src" 2>/dev/null) || built_cred=''
[ "$built_cred" = "$new_cred" ] || fail postmap "the new map does not resolve $relayhost to the new credential; nothing changed"
built_cred=''

# --- 7. Swap in: keep one rollback link per file for this run, rename new over old, reload ------------------------
rollback_src="$map_path.ses-smtp-rotation-rollback"
rollback_index="$index_path.ses-smtp-rotation-rollback"
if [ "$had_src" = yes ]; then ln -f "$map_path" "$rollback_src"; fi
if [ -n "$index_path" ] && [ -f "$index_path" ]; then
  had_index='yes'
  ln -f "$index_path" "$rollback_index"
fi
swapped='yes'
if [ -n "$index_path" ]; then mv -f "$tmp_src${index_path#"$map_path"}" "$index_path"; fi
mv -f "$tmp_src" "$map_path"
tmp_src=''
reload='not-running'
if [ "$postfix_running" = yes ]; then
  postfix reload >/dev/null 2>&1 || fail reload "postfix reload failed (see the mail log); the previous map was restored"
  reload='done'
fi

# --- 8. Verify what Postfix now reads ---------------------------------------------------------------------------
live_cred=$(postmap -q "$relayhost" "$map_type:$map_path" 2>/dev/null) || live_cred=''
[ "$live_cred" = "$new_cred" ] || fail verify "after the swap $map_path does not resolve $relayhost to the new credential"
live_cred=''
if [ "$postfix_running" = yes ]; then
  postfix status >/dev/null 2>&1 || fail verify "Postfix is not running after the reload (see the mail log)"
fi
swapped='no'
cleanup
result "status=updated mta=postfix key=$key_masked relayhost=$relayhost map=$map_type auth=$auth reload=$reload"
