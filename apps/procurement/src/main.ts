// TypeORM loads its drivers dynamically, which webpack cannot see: import them here so that the
// bundle (and the package.json generated for dist/) carries both.
import 'better-sqlite3';
import 'pg';
import { bootstrapService } from '@fleet/service-kit';
import { AppModule } from './app.module';

void bootstrapService({ service: 'procurement', module: AppModule, defaultPort: 3001 });
