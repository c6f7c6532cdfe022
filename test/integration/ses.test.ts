import { describe, expect, it } from 'vitest';
import { SendRawEmailCommand } from '@aws-sdk/client-ses';
import { randomUUID } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { inbox, ses } from './clients.ts';

describe('local SES', () => {
  it('accepts a raw MIME e-mail with an attachment through @aws-sdk/client-ses and shows it in the inbox', async () => {
    const subject = `Factuur ${randomUUID()}`;
    const raw = await new MailComposer({
      from: 'facturen@polderadvies.example',
      to: 'klant@example.com',
      subject,
      text: 'Bijgaand de factuur.',
      attachments: [{ filename: 'factuur.pdf', content: Buffer.from('%PDF-1.7 test'), contentType: 'application/pdf' }],
    })
      .compile()
      .build();
    const sent = await ses.send(new SendRawEmailCommand({ RawMessage: { Data: raw } }));
    expect(sent.MessageId).toBeTruthy();

    const email = (await inbox()).find((candidate) => candidate.subject === subject);
    expect(email?.destination.to).toEqual(['klant@example.com']);
    expect(email?.attachments.map((attachment) => attachment.filename)).toEqual(['factuur.pdf']);
    expect(Buffer.from(email?.attachments[0]?.content ?? '', 'base64').toString()).toBe('%PDF-1.7 test');
  });
});
