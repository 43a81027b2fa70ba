// A short two-tone chime for a new work order, made with Web Audio so no
// sound file ships. Browsers allow it after the person has clicked once.
let ctx: AudioContext | null = null

export function chime() {
  try {
    ctx ??= new AudioContext()
    const now = ctx.currentTime
    for (const [i, freq] of [880, 1320].entries()) {
      const osc = ctx.createOscillator()
      const gain = ctx.createGain()
      osc.frequency.value = freq
      gain.gain.setValueAtTime(0.15, now + i * 0.18)
      gain.gain.exponentialRampToValueAtTime(0.001, now + i * 0.18 + 0.16)
      osc.connect(gain).connect(ctx.destination)
      osc.start(now + i * 0.18)
      osc.stop(now + i * 0.18 + 0.17)
    }
  } catch {
    // No audio device: the badge and the notification still show.
  }
}
