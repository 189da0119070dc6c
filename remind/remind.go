// Package remind holds the reminder rules, apart from any clock loop or
// chat: which reminders a meeting gets and when (PlanReminders), the
// reminder times users type (ParseOffsets), the cron spec a digest runs on
// (DigestSpec), the nonce that makes a resend harmless (NonceFor), and the
// message a delivery posts (Message), in terms of no particular chat.
//
// Both the set-up commands (package commands) and the scheduler (package
// schedule) read these rules, so neither imports the other, and the
// scheduler knows nothing of Discord: the bot's sender turns a Message
// into Discord's message body.
package remind
