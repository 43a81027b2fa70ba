// Photos are shrunk in the browser before they are uploaded: a phone photo
// of 4–8 MB becomes a JPEG of a few hundred KB (longest side 1600 px), which
// is quicker on a mobile network and well within the server's size limit.

/** fitWithin scales (w, h) down so the longer side is at most max. */
export function fitWithin(w: number, h: number, max: number): { width: number; height: number } {
  const s = Math.min(1, max / Math.max(w, h, 1))
  return { width: Math.max(1, Math.round(w * s)), height: Math.max(1, Math.round(h * s)) }
}

/** jpegName gives the compressed file a .jpg name. */
export function jpegName(name: string): string {
  const base = name.replace(/\.[^./]*$/, '') || 'photo'
  return `${base}.jpg`
}

/** compressImage draws the photo on a canvas and encodes it as JPEG; a file
 * the browser cannot decode (HEIC on most browsers) or a PDF is sent as it is. */
export async function compressImage(file: File, max = 1600, quality = 0.8): Promise<File> {
  if (!file.type.startsWith('image/') || file.type === 'image/heic') return file
  let bitmap: ImageBitmap
  try {
    bitmap = await createImageBitmap(file)
  } catch {
    return file
  }
  const { width, height } = fitWithin(bitmap.width, bitmap.height, max)
  const canvas = document.createElement('canvas')
  canvas.width = width
  canvas.height = height
  const ctx = canvas.getContext('2d')
  if (!ctx) return file
  ctx.fillStyle = '#fff' // transparent PNG areas become white, not black
  ctx.fillRect(0, 0, width, height)
  ctx.drawImage(bitmap, 0, 0, width, height)
  bitmap.close()
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', quality))
  if (!blob || blob.size >= file.size) return file
  return new File([blob], jpegName(file.name), { type: 'image/jpeg' })
}
