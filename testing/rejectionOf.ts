// Test helper: what a promise rejects with, checked to be of the expected
// class (the test fails when it resolves or rejects with something else).
import { expect } from 'bun:test'

export async function rejectionOf<T>(promise: Promise<unknown>, type: new (...args: any[]) => T): Promise<T> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(type)
  return error as T
}
