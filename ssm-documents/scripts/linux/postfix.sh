
# === Postfix: smtp_sasl_password_maps (hash, btree, lmdb, cdb or texthash), rebuilt with postmap, postfix reload ===

# Whether Postfix is installed (for Mta=auto).
postfix_installed() { command -v postconf >/dev/null 2>&1; }

pf() { postconf -xh "$1" 2>/dev/null; }

# Tools present; relayhost, SASL and map settings read with postconf -x. Sets RELAY_*, LOCK_DIR, MTA_RUNNING.
postfix_prerequisites() {
  local tool relayhost sasl_enabled maps wrappermode relay_re
  for tool in postconf postmap postfix; do
    command -v "$tool" >/dev/null 2>&1 ||
      fail no-postfix "Postfix is not installed on this host ($tool not found on PATH): install and configure Postfix" \
        "for SES (relayhost, smtp_sasl_password_maps), or remove this host from the rotation's target tag"
  done
  if [ "$SSM_PostfixConfigDir" != default ]; then
    [ -f "$SSM_PostfixConfigDir/main.cf" ] || fail postfix-config "PostfixConfigDir $SSM_PostfixConfigDir has no main.cf"
    export MAIL_CONFIG="$SSM_PostfixConfigDir"
  fi
  postconf -n >/dev/null 2>&1 ||
    fail postfix-config "postconf cannot read the Postfix configuration (${MAIL_CONFIG:-default directory}): run postconf -n to see why"
  relayhost=$(pf relayhost) || fail postfix-config "postconf cannot read relayhost"
  sasl_enabled=$(pf smtp_sasl_auth_enable) || fail postfix-config "postconf cannot read smtp_sasl_auth_enable"
  maps=$(pf smtp_sasl_password_maps) || fail postfix-config "postconf cannot read smtp_sasl_password_maps"
  wrappermode=$(pf smtp_tls_wrappermode) || wrappermode='no'
  [ -n "$relayhost" ] || fail postfix-config "Postfix has no relayhost: set relayhost = [email-smtp.<region>.amazonaws.com]:587"
  relay_re='^(\[([^]]+)\]|([^],:[ ]+))(:([0-9]{1,5}))?$'
  [[ $relayhost =~ $relay_re ]] ||
    fail postfix-config "relayhost '$relayhost' is not one [host]:port next hop: this document supports exactly one relay"
  RELAY_HOST=${BASH_REMATCH[2]:-${BASH_REMATCH[3]}}
  RELAY_PORT=${BASH_REMATCH[5]:-25}
  PF_RELAYHOST=$relayhost
  RELAY_DESC="relayhost is $relayhost"
  [ "$sasl_enabled" = yes ] || fail postfix-config "smtp_sasl_auth_enable is not yes: Postfix would not log in to SES; set it (see the SES Postfix guide)"
  [[ $maps =~ ^(hash|btree|lmdb|cdb|texthash):(/[^[:space:],]+)$ ]] ||
    fail postfix-config "smtp_sasl_password_maps is '$maps': expected one map of type hash, btree, lmdb, cdb or texthash with an absolute path"
  PF_MAP_TYPE=${BASH_REMATCH[1]}
  PF_MAP=${BASH_REMATCH[2]}
  case $PF_MAP_TYPE in
    hash | btree) PF_INDEX_SUFFIX='.db' ;;
    lmdb) PF_INDEX_SUFFIX='.lmdb' ;;
    cdb) PF_INDEX_SUFFIX='.cdb' ;;
    texthash) PF_INDEX_SUFFIX='' ;;
  esac
  LOCK_DIR=${PF_MAP%/*}
  [ -d "$LOCK_DIR" ] || fail postfix-config "the directory of smtp_sasl_password_maps ($LOCK_DIR) does not exist"
  if [ "$wrappermode" = yes ]; then RELAY_TLS='tls'; fi
  RELAY_CA_FILE=$(pf smtp_tls_CAfile) || RELAY_CA_FILE=''
  RELAY_CA_PATH=$(pf smtp_tls_CApath) || RELAY_CA_PATH=''
  RELAY_HELO=$(pf myhostname) || RELAY_HELO='localhost'
  if postfix status >/dev/null 2>&1; then MTA_RUNNING='yes'; fi
}

# Whether map $1 (type PF_MAP_TYPE) resolves the relayhost to the new credential. postmap -q prints the value: it
# stays in a variable.
postfix_map_has_new() {
  local found
  found=$(postmap -q "$PF_RELAYHOST" "$PF_MAP_TYPE:$1" 2>/dev/null) || return 1
  [ "$found" = "$SMTP_USER:$SMTP_PASSWORD" ]
}

postfix_has_credential() { postfix_map_has_new "$PF_MAP"; }

# Writes the new map source beside the live one (same entries, only the relayhost entry replaced; postmap's syntax,
# continuation lines included) and builds it with postmap. An lmdb map is always built fresh: LMDB keeps replaced
# values in free pages, so an update in place would leave the old password readable.
postfix_build() {
  local line key replaced='no' skipping='no'
  temp_beside "$PF_MAP"
  PF_NEW=$REPLY
  if [ -f "$PF_MAP" ]; then
    while IFS= read -r line || [ -n "$line" ]; do
      case $line in
        '' | '#'*) skipping='no' ;;
        [[:space:]]*)
          # A line starting with white space continues the entry above it.
          if [ "$skipping" = yes ] && [[ $line =~ ^[[:space:]]+[^#[:space:]] ]]; then continue; fi
          ;;
        *)
          key=${line%%[[:space:]]*}
          if [ "${key,,}" = "${PF_RELAYHOST,,}" ]; then
            skipping='yes'
            if [ "$replaced" = no ]; then printf '%s %s:%s\n' "$PF_RELAYHOST" "$SMTP_USER" "$SMTP_PASSWORD" >>"$PF_NEW"; fi
            replaced='yes'
            continue
          fi
          skipping='no'
          ;;
      esac
      printf '%s\n' "$line" >>"$PF_NEW"
    done <"$PF_MAP"
  fi
  if [ "$replaced" = no ]; then printf '%s %s:%s\n' "$PF_RELAYHOST" "$SMTP_USER" "$SMTP_PASSWORD" >>"$PF_NEW"; fi
  chmod 600 "$PF_NEW"
  if [ "$PF_MAP_TYPE" != texthash ]; then
    TEMP_FILES+=("$PF_NEW$PF_INDEX_SUFFIX")
    postmap "$PF_MAP_TYPE:$PF_NEW" 2>"$WORK_DIR/postmap.err" || {
      sed -n '1,5p' "$WORK_DIR/postmap.err" >&2
      fail postmap "postmap $PF_MAP_TYPE: could not build the new map; nothing changed"
    }
  fi
  postfix_map_has_new "$PF_NEW" || fail postmap "the new map does not resolve $PF_RELAYHOST to the new credential; nothing changed"
}

postfix_reload() { postfix reload; }

# Renames the new index, then the new source, over the live ones, and reloads (never a restart: in-flight sessions
# continue). Sets RELOAD_RESULT.
postfix_swap() {
  if [ -n "$PF_INDEX_SUFFIX" ]; then swap_in "$PF_NEW$PF_INDEX_SUFFIX" "$PF_MAP$PF_INDEX_SUFFIX"; fi
  swap_in "$PF_NEW" "$PF_MAP"
  RELOAD_RESULT='not-running'
  if [ "$MTA_RUNNING" = yes ]; then
    postfix_reload >/dev/null 2>&1 || fail reload "postfix reload failed (see the mail log); the previous map was restored"
    RELOAD_RESULT='done'
  fi
}

# What Postfix now reads.
postfix_verify() {
  postfix_map_has_new "$PF_MAP" || fail verify "after the swap $PF_MAP does not resolve $PF_RELAYHOST to the new credential"
  if [ "$MTA_RUNNING" = yes ]; then
    postfix status >/dev/null 2>&1 || fail verify "Postfix is not running after the reload (see the mail log)"
  fi
}

# Extra fields of the result line.
postfix_details() { REPLY="relayhost=$PF_RELAYHOST map=$PF_MAP_TYPE"; }
