
# === The sequence ===

# The MTA to update: the Mta parameter, or (auto) the one MTA installed on this host.
pick_mta() {
  local found=() m
  if [ "$SSM_Mta" != auto ]; then
    MTA=$SSM_Mta
    return
  fi
  for m in postfix exim sendmail; do
    if "${m}_installed"; then found+=("$m"); fi
  done
  case ${#found[@]} in
    1) MTA=${found[0]} ;;
    0) fail no-mta "no supported mail server found (Postfix postconf, Exim exim4, Sendmail makemap and" \
      "$SSM_SendmailConfig): install and configure one for SES, or remove this host from the rotation's target tag" ;;
    *) fail ambiguous-mta "several mail servers are installed (${found[*]}): set the Mta parameter to the one that relays to SES" ;;
  esac
}

main() {
  local details
  check_parameters
  pick_mta
  WORK_DIR=$(mktemp -d)
  "${MTA}_prerequisites"
  take_lock "$LOCK_DIR"
  fetch_secret
  if "${MTA}_has_credential"; then
    "${MTA}_details"
    details=$REPLY
    cleanup
    result "status=unchanged mta=$MTA key=$KEY_MASKED $details"
    exit 0
  fi
  verify_relay_auth
  "${MTA}_build"
  "${MTA}_swap"
  "${MTA}_verify"
  "${MTA}_details"
  details=$REPLY
  cleanup
  result "status=updated mta=$MTA key=$KEY_MASKED $details auth=$AUTH_RESULT reload=$RELOAD_RESULT"
}

main
