import { Controller, Get } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';

@Controller('health')
@SkipThrottle({ default: true, webhooks: true })
export class HealthController {
  @Get()
  health() {
    return { status: 'ok' };
  }
}
