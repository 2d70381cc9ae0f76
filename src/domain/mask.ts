// Masking for log lines: keep enough to correlate, never the whole phone number or email.
const EMAIL = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})/g;
// We store numbers in E.164, so that is the form that can reach a log line.
const PHONE = /\+\d{7,15}\b/g;

export function maskEmail(email: string): string {
  return email.replace(EMAIL, '$1***@$2');
}

export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return digits.length <= 4 ? '***' : `${phone.startsWith('+') ? '+' : ''}***${digits.slice(-3)}`;
}

// Applied to every log message: emails and E.164 phone numbers are masked.
export function maskPii(text: string): string {
  return maskEmail(text).replace(PHONE, (match) => maskPhone(match));
}
