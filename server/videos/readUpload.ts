// Reads one uploaded file from a multipart/form-data body, refusing bodies over
// the limit before they are buffered whole.
import { BadRequestError, PayloadTooLargeError, UnsupportedMediaTypeError } from '../platform/errors.ts'
import { readBodyBytes } from '../platform/readBody.ts'

export type UploadedFile = { filename: string; contentType: string | null; bytes: Uint8Array; fields: Record<string, string> }

// Multipart framing adds a little to the file itself.
const MULTIPART_OVERHEAD = 64 * 1024

export async function readUpload(request: Request, maxFileBytes: number): Promise<UploadedFile> {
  const type = request.headers.get('content-type') ?? ''
  if (!type.toLowerCase().startsWith('multipart/form-data'))
    throw new UnsupportedMediaTypeError('Send the file as multipart/form-data with a `file` field.')
  const bytes = await readBodyBytes(request, maxFileBytes + MULTIPART_OVERHEAD)
  let form: FormData
  try {
    form = await new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { 'content-type': type } }).formData()
  } catch (cause) {
    throw new BadRequestError('malformed_body', 'The multipart body could not be parsed.', { cause: String(cause) })
  }
  const file = form.get('file')
  if (!file || typeof file === 'string') throw new BadRequestError('file_missing', 'The form has no `file` field with a file in it.')
  const data = new Uint8Array(await file.arrayBuffer())
  if (data.byteLength > maxFileBytes) {
    throw new PayloadTooLargeError(maxFileBytes)
  }
  const fields: Record<string, string> = {}
  for (const [k, v] of form.entries()) if (typeof v === 'string' && k !== 'file') fields[k] = v.slice(0, 1000)
  return { filename: (file.name || 'upload').slice(0, 255), contentType: file.type || null, bytes: data, fields }
}
