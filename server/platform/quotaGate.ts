// The billing hook every metered action goes through: throw (e.g. a 402/429
// AppError) to refuse it. Billing provides the real gate; without it nothing is metered.

export type QuotaGate = { reserve(userId: string, kind: 'message' | 'artifact'): Promise<void> }

export const unlimitedQuota: QuotaGate = { reserve: async () => {} }
