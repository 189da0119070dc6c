package remind

import "talkbot/store"

// DigestSpec is the cron spec a digest runs on: its schedule read in its
// zone.
func DigestSpec(d store.Digest) string {
	return "CRON_TZ=" + d.Timezone + " " + d.Schedule
}
