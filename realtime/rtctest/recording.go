package rtctest

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/pion/webrtc/v4/pkg/media/ivfreader"
	"github.com/pion/webrtc/v4/pkg/media/oggreader"
)

// CountFrames parses a recording of container "ivf" (VP8) or "ogg" (Opus)
// and returns its frames (IVF) or its audio pages (Ogg, the comment header
// page not counted); a malformed file, an IVF
// whose header disagrees with its body, or an Ogg file not stating 48 kHz,
// is an error.
func CountFrames(container string, b []byte) (int, error) {
	frames := 0
	switch container {
	case "ivf":
		rd, hdr, err := ivfreader.NewWith(bytes.NewReader(b))
		if err != nil {
			return 0, fmt.Errorf("not IVF: %w", err)
		}
		if hdr.FourCC != "VP80" {
			return 0, fmt.Errorf("IVF fourcc %q, want VP80", hdr.FourCC)
		}
		for {
			if _, _, err := rd.ParseNextFrame(); err != nil {
				if !errors.Is(err, io.EOF) {
					return frames, fmt.Errorf("IVF frame %d: %w", frames, err)
				}
				break
			}
			frames++
		}
		if int(hdr.NumFrames) != frames {
			return frames, fmt.Errorf("IVF header says %d frames, file has %d", hdr.NumFrames, frames)
		}
	case "ogg":
		rd, hdr, err := oggreader.NewWith(bytes.NewReader(b))
		if err != nil {
			return 0, fmt.Errorf("not Ogg Opus: %w", err)
		}
		if hdr.SampleRate != 48000 { // Opus in Ogg always states 48 kHz (RFC 7845)
			return 0, fmt.Errorf("Ogg Opus sample rate %d, want 48000", hdr.SampleRate)
		}
		for {
			if _, _, err := rd.ParseNextPage(); err != nil {
				if !errors.Is(err, io.EOF) {
					return frames, fmt.Errorf("Ogg page %d: %w", frames, err)
				}
				break
			}
			frames++
		}
		frames = max(frames-1, 0) // the first page after the ID header is the comment header (OpusTags)
	default:
		return 0, fmt.Errorf("unknown container %q", container)
	}
	return frames, nil
}
