// TypeORM loads its drivers dynamically, so the bundle's generated package.json would leave them
// out and the deployed service would crash at start-up: name them here.
import 'better-sqlite3';
import 'pg';
import { bootstrapService } from '@fleet/service-kit';
import { AppModule } from './app.module';

void bootstrapService({ service: 'reporting', module: AppModule, defaultPort: 3005 });
