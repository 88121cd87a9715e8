// Who may do what on a resource's protection page, as the server decides it: each permission at the
// resource's institution (a role reaches the subtree of the institution it is held at, ORG-6). The server
// stays the judge (KeysService / DatasetsService assertCan); this only decides which actions show.
//   protection.read  the page itself (keys, encryption state, dataset versions)
//   keys.manage      rotate, re-encrypt, destroy (the security officer, PRT-5, LIF-11)
//   dataset.manage   upload and pull loads, test-data copies (the data steward, LIF-13, DG-15)
//   masking.manage   masking rules and value kinds per field (the security officer, PRT-4)
import { useReach } from '../systems/assetCheckAccess.ts';

export interface ProtectionAccess {
  read: boolean;
  manageKeys: boolean;
  manageDataset: boolean;
  manageMasking: boolean;
}

export function useProtectionAccess(institutionId: string | null | undefined): ProtectionAccess {
  const read = useReach('protection.read');
  const keys = useReach('keys.manage');
  const dataset = useReach('dataset.manage');
  const masking = useReach('masking.manage');
  if (!institutionId) return { read: false, manageKeys: false, manageDataset: false, manageMasking: false };
  return {
    read: read.at(institutionId),
    manageKeys: keys.at(institutionId),
    manageDataset: dataset.at(institutionId),
    manageMasking: masking.at(institutionId),
  };
}
