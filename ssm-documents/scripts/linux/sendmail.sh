
# === Sendmail (Debian sendmail): the AuthInfo:<relay> entry of the authinfo map, rebuilt with makemap, HUP ===

# Whether Sendmail is installed (for Mta=auto). Postfix and Exim also install a "sendmail" command, never makemap.
sendmail_installed() { command -v makemap >/dev/null 2>&1 && [ -f "$SSM_SendmailConfig" ]; }

# Reads the relay (DS), its mailer's port, the authinfo map (Kauthinfo), TLS and pid file options from sendmail.cf.
# Sets RELAY_*, LOCK_DIR, MTA_RUNNING.
sendmail_prerequisites() {
  local line smart_host='' mailer='relay' in_mailer='no' pid_file='/run/sendmail/mta/sendmail.pid' pid
  command -v makemap >/dev/null 2>&1 ||
    fail no-sendmail "Sendmail is not installed on this host (makemap not found on PATH): install and configure" \
      "Sendmail for SES (SMART_HOST, FEATURE(authinfo)), or remove this host from the rotation's target tag"
  SM_BIN=$(command -v sendmail-mta || command -v sendmail.sendmail || command -v sendmail) ||
    fail no-sendmail "Sendmail is not installed on this host (sendmail-mta not found on PATH)"
  [ -f "$SSM_SendmailConfig" ] || fail sendmail-config "SendmailConfig $SSM_SendmailConfig does not exist (build it from sendmail.mc)"
  SM_MAP='' SM_MAP_TYPE='' RELAY_PORT=''
  while IFS= read -r line; do
    case $line in
      DS*) smart_host=${line#DS} ;;
      Kauthinfo[[:space:]]*) read -r _ SM_MAP_TYPE _ <<<"$line" && SM_MAP=${line##*[[:space:]]} ;;
      'O CACertFile='*) RELAY_CA_FILE=${line#*=} ;;
      'O CACertPath='*) RELAY_CA_PATH=${line#*=} ;;
      'O PidFile='*) pid_file=${line#*=} ;;
      Dj*) RELAY_HELO=${line#Dj} ;;
    esac
  done <"$SSM_SendmailConfig"
  [ -n "$smart_host" ] || fail sendmail-config "sendmail.cf has no smart host (DS): define SMART_HOST as [email-smtp.<region>.amazonaws.com]"
  if [[ $smart_host == *:* ]]; then mailer=${smart_host%%:*} smart_host=${smart_host#*:}; fi
  smart_host=${smart_host#[}
  RELAY_HOST=${smart_host%]}
  RELAY_DESC="the smart host (DS in $SSM_SendmailConfig) is $RELAY_HOST"
  [[ ${RELAY_HOST,,} =~ $HOST_PATTERN ]] || fail sendmail-config "the smart host ($RELAY_HOST) is not one host name"
  # The port is the mailer's A=TCP $h <port> argument (RELAY_MAILER_ARGS), 25 by default.
  while IFS= read -r line; do
    if [[ $line == M* ]]; then
      if [[ $line == "M$mailer,"* ]]; then in_mailer='yes'; else in_mailer='no'; fi
    fi
    if [ "$in_mailer" = yes ] && [[ $line =~ A=TCP\ \$h\ ([0-9]{1,5}) ]]; then RELAY_PORT=${BASH_REMATCH[1]}; fi
  done <"$SSM_SendmailConfig"
  RELAY_PORT=${RELAY_PORT:-25}
  [[ $SM_MAP_TYPE =~ ^(hash|btree)$ ]] && [[ $SM_MAP =~ $PATH_PATTERN ]] ||
    fail sendmail-config "sendmail.cf has no authinfo map of type hash or btree: add FEATURE(\`authinfo') to sendmail.mc"
  SM_MAP=${SM_MAP%.db}
  LOCK_DIR=${SM_MAP%/*}
  [ -d "$LOCK_DIR" ] || fail sendmail-config "the directory of the authinfo map ($LOCK_DIR) does not exist"
  SM_PID_FILE=$pid_file
  if [ -f "$pid_file" ] && read -r pid <"$pid_file" && [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
    MTA_RUNNING='yes'
  fi
}

# The I: (user) and P: (password) of the AuthInfo entry a map dump or a sendmail -bt lookup printed. The output
# holds the password: it is only ever in variables.
sendmail_entry_is_new() {
  local value=$1 user_re='"I:([^"]*)"' pass_re='"P:([^"]*)"' user pass
  [[ $value =~ $user_re ]] || return 1
  user=${BASH_REMATCH[1]}
  [[ $value =~ $pass_re ]] || return 1
  pass=${BASH_REMATCH[1]}
  [ "$user" = "$SMTP_USER" ] && [ "$pass" = "$SMTP_PASSWORD" ]
}

# What the running configuration returns for AuthInfo:<relay> (sendmail -bt /map: the lookup Sendmail itself does).
sendmail_has_credential() {
  local found
  found=$(printf '/map authinfo AuthInfo:%s\n' "$RELAY_HOST" | "$SM_BIN" -C "$SSM_SendmailConfig" -bt 2>/dev/null) || return 1
  [[ $found == *' returns '* ]] && sendmail_entry_is_new "${found#* returns }"
}

# Whether the built map $1 (its .db) holds the new entry for the relay (makemap -u dumps it; keys are lower case).
sendmail_map_has_new() {
  local dump line key
  dump=$(makemap -C "$SSM_SendmailConfig" -u "$SM_MAP_TYPE" "$1" 2>/dev/null) || return 1
  while IFS= read -r line; do
    key=${line%%[[:space:]]*}
    if [ "${key,,}" = "authinfo:${RELAY_HOST,,}" ]; then
      sendmail_entry_is_new "${line#*[[:space:]]}"
      return
    fi
  done <<<"$dump"
  return 1
}

# Writes the new authinfo source beside the live one (only the AuthInfo:<relay> entry replaced, added if missing)
# and builds its map with makemap, the owner and mode of the live files kept (0600 by default).
sendmail_build() {
  local line key replaced='no' entry
  entry="AuthInfo:$RELAY_HOST \"U:root\" \"I:$SMTP_USER\" \"P:$SMTP_PASSWORD\" \"M:PLAIN\""
  temp_beside "$SM_MAP"
  SM_NEW=$REPLY
  if [ -f "$SM_MAP" ]; then
    while IFS= read -r line || [ -n "$line" ]; do
      key=${line%%[[:space:]]*}
      if [ "${key,,}" = "authinfo:${RELAY_HOST,,}" ]; then
        if [ "$replaced" = no ]; then printf '%s\n' "$entry" >>"$SM_NEW"; fi
        replaced='yes'
        continue
      fi
      printf '%s\n' "$line" >>"$SM_NEW"
    done <"$SM_MAP"
  fi
  if [ "$replaced" = no ]; then printf '%s\n' "$entry" >>"$SM_NEW"; fi
  entry=''
  copy_owner "$SM_MAP" "$SM_NEW" 600
  makemap -C "$SSM_SendmailConfig" "$SM_MAP_TYPE" "$SM_NEW" <"$SM_NEW" 2>"$WORK_DIR/makemap.err" || {
    sed -n '1,5p' "$WORK_DIR/makemap.err" >&2
    fail makemap "makemap $SM_MAP_TYPE: could not build the new authinfo map; nothing changed"
  }
  copy_owner "$SM_MAP.db" "$SM_NEW.db" 600
  sendmail_map_has_new "$SM_NEW" || fail makemap "the new authinfo map has no entry with the new credential for AuthInfo:$RELAY_HOST; nothing changed"
}

# Sendmail's documented reload: SIGHUP makes the daemon re-execute itself and reopen its maps.
sendmail_reload() {
  local pid
  read -r pid <"$SM_PID_FILE" && [[ $pid =~ ^[0-9]+$ ]] && kill -HUP "$pid"
}

sendmail_swap() {
  swap_in "$SM_NEW.db" "$SM_MAP.db"
  swap_in "$SM_NEW" "$SM_MAP"
  RELOAD_RESULT='not-running'
  if [ "$MTA_RUNNING" = yes ]; then
    sendmail_reload 2>/dev/null || fail reload "could not signal the Sendmail daemon (SIGHUP); the previous map was restored"
    RELOAD_RESULT='done'
  fi
}

sendmail_verify() {
  local pid tries=0
  sendmail_has_credential || fail verify "after the swap Sendmail does not read the new credential for AuthInfo:$RELAY_HOST"
  if [ "$MTA_RUNNING" = yes ]; then
    # The daemon re-executes itself on SIGHUP and rewrites its pid file: give it a few seconds.
    until [ -f "$SM_PID_FILE" ] && read -r pid <"$SM_PID_FILE" && [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; do
      tries=$((tries + 1))
      [ "$tries" -le 20 ] || fail verify "the Sendmail daemon is not running after the reload (see the mail log)"
      sleep 0.5
    done
  fi
}

sendmail_details() { REPLY="relayhost=$RELAY_HOST:$RELAY_PORT map=$SM_MAP_TYPE"; }
