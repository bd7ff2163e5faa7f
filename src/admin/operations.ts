import type { AdminOperation } from './operation.js';
import { dashboardOperations } from '../dashboard/admin.js';
import { operatorOperations } from '../operators/admin.js';
import { lotOperations } from '../lots/admin.js';
import { permitOperations } from '../permits/admin.js';
import { plateOperations } from '../plates/admin.js';
import { profileOperations } from '../profiles/admin.js';
import { tenantOperations } from '../tenants/admin.js';
import { vehicleOperations } from '../vehicles/admin.js';
import { violationOperations } from '../violations/admin.js';
import { webhookOperations } from '../webhooks/admin.js';

/** Every operator action, in the order the docs and `admin --help` list them. */
export const adminOperations: AdminOperation[] = [
  ...tenantOperations,
  ...lotOperations,
  ...permitOperations,
  ...profileOperations,
  ...vehicleOperations,
  ...violationOperations,
  ...plateOperations,
  ...webhookOperations,
  ...dashboardOperations,
  ...operatorOperations,
];
