
# === Exim (Debian exim4): the client credential in passwd.client (host:user:password), read at every delivery ===

# Whether Exim is installed (for Mta=auto).
exim_installed() { command -v exim4 >/dev/null 2>&1 || command -v exim >/dev/null 2>&1; }

# Runs exim with the configuration the host uses (or EximConfig).
ex() {
  if [ "$SSM_EximConfig" = default ]; then "$EXIM_BIN" "$@"; else "$EXIM_BIN" -C "$SSM_EximConfig" "$@"; fi
}

# An option of the remote transport, as exim -bP prints it ("name = value").
exim_transport_option() {
  local line
  REPLY=''
  while IFS= read -r line; do
    if [[ $line =~ ^[[:space:]]*$1[[:space:]]*=[[:space:]]*(.*)$ ]]; then REPLY=${BASH_REMATCH[1]}; fi
  done <<<"$EXIM_TRANSPORT_OPTIONS"
}

# Binary and configuration; where Exim routes remote mail (exim -bt: the router, transport, smarthost and port it
# really uses); the passwd.client file (CONFDIR of Debian's configuration). Sets RELAY_*, LOCK_DIR, MTA_RUNNING.
exim_prerequisites() {
  local routing confdir pid_file pid
  EXIM_BIN=$(command -v exim4 || command -v exim) ||
    fail no-exim "Exim is not installed on this host (exim4 not found on PATH): install and configure Exim for SES" \
      "(dc_smarthost, passwd.client), or remove this host from the rotation's target tag"
  if [ "$SSM_EximConfig" != default ] && [ ! -f "$SSM_EximConfig" ]; then
    fail exim-config "EximConfig $SSM_EximConfig does not exist"
  fi
  ex -bV >/dev/null 2>"$WORK_DIR/exim.err" || {
    sed -n '1,5p' "$WORK_DIR/exim.err" >&2
    fail exim-config "Exim cannot read its configuration: run exim4 -bV to see why (Debian: update-exim4.conf)"
  }
  routing=$(ex -bt ses-smtp-rotation-probe@example.com 2>&1) || true
  [[ $routing =~ transport\ =\ ([A-Za-z0-9_-]+) ]] ||
    fail exim-config "Exim does not route remote mail through a transport (exim4 -bt someone@example.com): configure a smarthost"
  EXIM_TRANSPORT=${BASH_REMATCH[1]}
  [[ $routing =~ host\ ([A-Za-z0-9.-]+)\ \[[^]]*\]( port=([0-9]{1,5}))? ]] ||
    fail exim-config "Exim routes remote mail to no single smarthost (exim4 -bt someone@example.com): set dc_smarthost to the SES endpoint"
  RELAY_HOST=${BASH_REMATCH[1]}
  RELAY_PORT=${BASH_REMATCH[3]}
  RELAY_DESC="Exim's smarthost (transport $EXIM_TRANSPORT) is $RELAY_HOST"
  EXIM_TRANSPORT_OPTIONS=$(ex -bP transport "$EXIM_TRANSPORT" 2>/dev/null) || EXIM_TRANSPORT_OPTIONS=''
  if [ -z "$RELAY_PORT" ]; then
    exim_transport_option port
    RELAY_PORT=${REPLY:-25}
    [[ $RELAY_PORT =~ ^[0-9]{1,5}$ ]] || RELAY_PORT=25
  fi
  exim_transport_option protocol
  if [ "$REPLY" = smtps ]; then RELAY_TLS='tls'; fi
  exim_transport_option tls_verify_certificates
  if [ -f "$REPLY" ]; then RELAY_CA_FILE=$REPLY; elif [ -d "$REPLY" ]; then RELAY_CA_PATH=$REPLY; fi
  RELAY_HELO=$(ex -bP primary_hostname 2>/dev/null) || RELAY_HELO=''
  RELAY_HELO=${RELAY_HELO#*= }
  [ -n "$RELAY_HELO" ] || RELAY_HELO='localhost'
  confdir=$(ex -bP macro CONFDIR 2>/dev/null) || confdir=''
  confdir=${confdir#CONFDIR=}
  [[ $confdir =~ $PATH_PATTERN ]] || confdir='/etc/exim4'
  EXIM_PASSWD="$confdir/passwd.client"
  LOCK_DIR=$confdir
  [ -d "$LOCK_DIR" ] || fail exim-config "the Exim configuration directory $LOCK_DIR does not exist"
  EXIM_GROUP=$(ex -bP exim_group 2>/dev/null) || EXIM_GROUP=''
  EXIM_GROUP=${EXIM_GROUP#*= }
  pid_file=$(ex -bP pid_file_path 2>/dev/null) || pid_file=''
  pid_file=${pid_file#*= }
  if [ -f "$pid_file" ] && read -r pid <"$pid_file" && [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
    MTA_RUNNING='yes'
  fi
}

# Whether passwd file $1 gives the relay host the new credential, looked up exactly as Debian's authenticators do
# (nwildlsearch: the first line whose pattern matches). The value printed by exim -be stays in a variable.
exim_file_has_new() {
  local found
  found=$(ex -be "\${lookup{$RELAY_HOST}nwildlsearch{$1}{\$value}fail}" 2>/dev/null) || return 1
  [ "$found" = "$SMTP_USER:$SMTP_PASSWORD" ]
}

exim_has_credential() { [ -f "$EXIM_PASSWD" ] && exim_file_has_new "$EXIM_PASSWD"; }

# Writes the new passwd.client beside the live one: same lines, only the relay host's entry replaced (added if
# missing), readable by Exim's group as Debian installs it (root:Debian-exim 0640).
exim_build() {
  local line key replaced='no'
  temp_beside "$EXIM_PASSWD"
  EXIM_NEW=$REPLY
  if [ -f "$EXIM_PASSWD" ]; then
    while IFS= read -r line || [ -n "$line" ]; do
      key=${line%%:*}
      if [[ $line != '#'* ]] && [ "${key,,}" = "${RELAY_HOST,,}" ] && [ "$key" != "$line" ]; then
        if [ "$replaced" = no ]; then printf '%s:%s:%s\n' "$RELAY_HOST" "$SMTP_USER" "$SMTP_PASSWORD" >>"$EXIM_NEW"; fi
        replaced='yes'
        continue
      fi
      printf '%s\n' "$line" >>"$EXIM_NEW"
    done <"$EXIM_PASSWD"
  fi
  if [ "$replaced" = no ]; then printf '%s:%s:%s\n' "$RELAY_HOST" "$SMTP_USER" "$SMTP_PASSWORD" >>"$EXIM_NEW"; fi
  if [ -f "$EXIM_PASSWD" ]; then
    copy_owner "$EXIM_PASSWD" "$EXIM_NEW" 640
  else
    if [ -n "$EXIM_GROUP" ]; then chgrp "$EXIM_GROUP" "$EXIM_NEW"; fi
    chmod 640 "$EXIM_NEW"
  fi
  exim_file_has_new "$EXIM_NEW" ||
    fail build "the new passwd.client does not give $RELAY_HOST the new credential (an earlier wildcard line may match" \
      "it first); nothing changed"
}

# Exim reads passwd.client at every delivery: there is nothing to reload (update-exim4.conf would rebuild the main
# configuration, applying unrelated pending edits, and is not needed for a credential).
exim_reload() { :; }

exim_swap() {
  swap_in "$EXIM_NEW" "$EXIM_PASSWD"
  RELOAD_RESULT='not-needed'
}

exim_verify() {
  exim_file_has_new "$EXIM_PASSWD" || fail verify "after the swap Exim does not read the new credential for $RELAY_HOST from $EXIM_PASSWD"
  ex -bV >/dev/null 2>&1 || fail verify "Exim cannot read its configuration after the swap"
}

exim_details() { REPLY="relayhost=$RELAY_HOST:$RELAY_PORT file=$EXIM_PASSWD"; }
