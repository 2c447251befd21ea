/** The monthly counts features, in the order they must see a message (see src/handlers/core.ts). */
import type { FeatureFactory } from '../core.js';
import { countsOfficerFeature } from './officer.js';
import { countsSubmissionFeature } from './submission.js';

export const countsFeatures: FeatureFactory = (flows) => [countsOfficerFeature, countsSubmissionFeature(flows)];
