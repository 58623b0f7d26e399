import { DashboardPage } from './dashboard-page';

new DashboardPage().start();
