import { describeMtaUpdateContract } from './harness/mta-contract';
import { describeWhenAvailable } from './harness/peers';
import { lmdbAvailable, postfixUnavailableReason, postfixUnderTest } from './harness/postfix-instance';

// lmdb is the map type of distributions without Berkeley DB. LMDB keeps replaced values in free pages, so the
// document must build a fresh map beside the old one instead of updating it in place: the contract's install
// scenario finds no trace of the old password in any file, and its refusal scenario a byte-identical map.
describeWhenAvailable(
  'a real Postfix with postfix-lmdb',
  postfixUnavailableReason() ??
    (lmdbAvailable() ? undefined : 'Postfix on this machine cannot open lmdb maps: install postfix-lmdb'),
  'Postfix step of the document (lmdb map, real Postfix)',
  () => {
    // The map-type-specific guarantees only: the rest of the contract does not depend on the map type.
    describeMtaUpdateContract(postfixUnderTest('lmdb'), ['install', 'rejected']);
  },
);
