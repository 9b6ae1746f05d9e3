package io.wagate;

/** The first answer of a pairing: a QR code, a pairing code, or why it failed. */
public record PairStart(String qrCode, String pairingCode, String failureReason) {
}
