import MailComposer from 'nodemailer/lib/mail-composer';

/** A 1×1 PNG for inline-image tests. */
export const PIXEL_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/** RFC 5322 bytes built with nodemailer, as a provider would store them. */
export async function eml(options: ConstructorParameters<typeof MailComposer>[0]) {
  return new MailComposer(options).compile().build();
}

/**
 * A small mailbox for the mail-center tests: a conversation of three (the last with an inline
 * image and a PDF), two single mails from other people, and one the owner sent.
 */
export async function mailCenterMailbox(owner: string) {
  const day = (n: number) => new Date(Date.UTC(2025, 0, n, 9));
  const root = '<thread-1@customer.test>';
  return [
    await eml({ from: 'Alice Customer <alice@customer.test>', to: owner, subject: 'Order 42', text: 'Where is my order?', messageId: root, date: day(1) }),
    await eml({
      from: owner,
      to: 'alice@customer.test',
      subject: 'Re: Order 42',
      text: 'It ships tomorrow.',
      messageId: '<thread-2@customer.test>',
      inReplyTo: root,
      references: root,
      date: day(2),
    }),
    await eml({
      from: 'Alice Customer <alice@customer.test>',
      to: owner,
      cc: 'Bob Buyer <bob@customer.test>',
      subject: 'Re: Order 42',
      html: '<p>Got it, thanks! <img src="cid:Pixel.1@customer.test"></p><script>window.pwned = 1</script>',
      messageId: '<thread-3@customer.test>',
      inReplyTo: '<thread-2@customer.test>',
      references: `${root} <thread-2@customer.test>`,
      date: day(3),
      attachments: [
        { filename: 'pixel.png', content: PIXEL_PNG, cid: 'Pixel.1@customer.test', contentType: 'image/png' },
        { filename: 'invoice.pdf', content: Buffer.from('%PDF-1.4 test'), contentType: 'application/pdf' },
      ],
    }),
    await eml({ from: 'Carol <carol@vendor.test>', to: owner, subject: 'Price list', text: 'New prices attached soon.', messageId: '<price-list@vendor.test>', date: day(4) }),
    await eml({ from: 'Dan <dan@other.test>', to: owner, subject: 'Lunch?', text: 'Friday at noon, the usual place.', date: day(5) }),
  ];
}
