import { Controller, Get, Header, Inject, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { APP_SERVICES, type LoadServices } from '../app.services-on-first-use.js';

// GET /mock/pay/:intentId — the mock gateway's payment page (development and test only).
@Controller('mock/pay')
export class MockPayController {
  constructor(@Inject(APP_SERVICES) private readonly services: LoadServices) {}

  @Get(':intentId')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  async page(@Param('intentId') intentId: string, @Query('signature') signature: unknown): Promise<string> {
    const { mockCheckout } = await this.services();
    const intent = await mockCheckout.intent(intentId, single(signature));
    const { renderPage } = await import('./mock-pay.page.js');
    return renderPage(intent, await mockCheckout.signatureQuery(intent.id));
  }

  @Post(':intentId/pay')
  async pay(@Param('intentId') intentId: string, @Query('signature') signature: unknown, @Res() response: Response): Promise<void> {
    const { mockCheckout } = await this.services();
    const intent = await mockCheckout.complete(intentId, single(signature), 'succeeded');
    response.redirect(303, `/mock/pay/${intent.id}${await mockCheckout.signatureQuery(intent.id)}`);
  }

  @Post(':intentId/decline')
  async decline(@Param('intentId') intentId: string, @Query('signature') signature: unknown, @Res() response: Response): Promise<void> {
    const { mockCheckout } = await this.services();
    const intent = await mockCheckout.complete(intentId, single(signature), 'failed');
    response.redirect(303, `/mock/pay/${intent.id}${await mockCheckout.signatureQuery(intent.id)}`);
  }
}

// ?signature=a&signature=b arrives as an array: not a signature.
const single = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
