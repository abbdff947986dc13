import { describeVaultRepositoryContract } from '../../../tests/support/vault-repository-contract.js';
import { InMemoryVaultRepository } from './in-memory-vault-repository.js';

describeVaultRepositoryContract('InMemoryVaultRepository', () => ({ repo: new InMemoryVaultRepository(), close: () => undefined }));
