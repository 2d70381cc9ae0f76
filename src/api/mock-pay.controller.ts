import { Controller, Get, Header, Param } from '@nestjs/common';

// The mock gateway's payment page. The clickable Pay/Decline page arrives with the mock webhook.
@Controller('mock/pay')
export class MockPayController {
  @Get(':intentId')
  @Header('Content-Type', 'text/html; charset=utf-8')
  page(@Param('intentId') intentId: string): string {
    const safeId = intentId.replace(/[^A-Za-z0-9-]/g, '');
    return `<!doctype html><title>Mock payment</title><h1>Mock payment</h1><p>Intent ${safeId}</p>`;
  }
}
